package org.infrakit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine a benchmark run is on, read from {@code /proc}, {@code /etc/os-release} and the
 * JVM's system properties.
 *
 * @param cpu the CPU model
 * @param cores the processors this JVM may use
 * @param memory the total memory, for people (e.g. {@code 23.5 GiB})
 * @param jdk the JDK, e.g. {@code OpenJDK 64-Bit Server VM 17.0.15+6 (Debian)}
 * @param os the operating system and kernel
 * @param load the load averages (1, 5, 15 minutes) when it was read
 */
record Machine(String cpu, int cores, String memory, String jdk, String os, String load) {
    private static final String UNKNOWN = "unknown";

    /** @return this machine */
    static Machine current() {
        String cpuinfo = read(Path.of("/proc/cpuinfo"));
        String meminfo = read(Path.of("/proc/meminfo"));
        String osRelease = read(Path.of("/etc/os-release"));
        String loadavg = read(Path.of("/proc/loadavg"));
        String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vendor") + ")";
        String distro = osName(osRelease);
        String os = (distro.equals(UNKNOWN) ? "" : distro + ", ") + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch");
        return new Machine(cpuModel(cpuinfo), Runtime.getRuntime().availableProcessors(), memory(meminfo), jdk, os,
                load(loadavg));
    }

    /** @param cpuinfo the text of {@code /proc/cpuinfo} @return the first {@code model name}, or "unknown" */
    static String cpuModel(String cpuinfo) {
        String model = field(cpuinfo, "model name", ':');
        return model == null ? UNKNOWN : model;
    }

    /** @param meminfo the text of {@code /proc/meminfo} @return {@code MemTotal} in GiB, or "unknown" */
    static String memory(String meminfo) {
        String total = field(meminfo, "MemTotal", ':');
        if (total == null || !total.endsWith("kB")) {
            return UNKNOWN;
        }
        try {
            long kib = Long.parseLong(total.substring(0, total.length() - 2).trim());
            return String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
        } catch (NumberFormatException e) {
            return UNKNOWN;
        }
    }

    /** @param osRelease the text of {@code /etc/os-release} @return its {@code PRETTY_NAME}, or "unknown" */
    static String osName(String osRelease) {
        String name = field(osRelease, "PRETTY_NAME", '=');
        if (name == null) {
            return UNKNOWN;
        }
        return name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")
                ? name.substring(1, name.length() - 1) : name;
    }

    /** @param loadavg the text of {@code /proc/loadavg} @return its first three numbers, or "unknown" */
    static String load(String loadavg) {
        String[] parts = loadavg.trim().split("\\s+");
        return parts.length < 3 ? UNKNOWN : parts[0] + " " + parts[1] + " " + parts[2];
    }

    private static String field(String text, String key, char separator) {
        for (String line : text.split("\n")) {
            int sep = line.indexOf(separator);
            if (sep > 0 && line.substring(0, sep).trim().equals(key)) {
                return line.substring(sep + 1).trim();
            }
        }
        return null;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
