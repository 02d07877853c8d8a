package org.infrakit.launch.impl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who a process is, beyond its pid: pids are reused, so a pid alone never identifies a process.
 *
 * <p>On Linux the start is field 22 of {@code /proc/<pid>/stat} (clock ticks since boot): it is
 * fixed for the life of the process and exact, unlike {@link ProcessHandle.Info#startInstant()},
 * which the JDK derives from the boot time and which moves when the wall clock is adjusted. The
 * command line is {@code /proc/<pid>/cmdline}, argv as the process has it. Elsewhere the JDK's
 * start instant and command line are used.
 *
 * @param pid the process id
 * @param start {@code ticks:<n>} or {@code instant:<epoch millis>}
 * @param commandLine argv
 */
record ProcessIdentity(long pid, String start, List<String> commandLine) {

    /** Canonical constructor. */
    ProcessIdentity {
        commandLine = List.copyOf(commandLine);
    }

    /**
     * @param pid a process id
     * @return its identity, or empty when no such process is alive or it cannot be read
     */
    static Optional<ProcessIdentity> of(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return Optional.empty();
        }
        Path proc = Path.of("/proc", Long.toString(pid));
        if (Files.isDirectory(proc)) {
            try {
                String stat = Files.readString(proc.resolve("stat"), StandardCharsets.ISO_8859_1);
                String ticks = startTicks(stat);
                byte[] raw = Files.readAllBytes(proc.resolve("cmdline"));
                return ticks == null ? Optional.empty()
                        : Optional.of(new ProcessIdentity(pid, "ticks:" + ticks, argv(raw)));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        ProcessHandle.Info info = handle.get().info();
        if (info.startInstant().isEmpty() || info.command().isEmpty()) {
            return Optional.empty();
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(info.command().get());
        info.arguments().ifPresent(a -> cmd.addAll(List.of(a)));
        return Optional.of(new ProcessIdentity(pid, "instant:" + info.startInstant().get().toEpochMilli(), cmd));
    }

    /**
     * @param stat the content of {@code /proc/<pid>/stat}
     * @return field 22 (start time in clock ticks), or {@code null} when it cannot be found
     */
    static String startTicks(String stat) {
        // field 2 is "(comm)" and comm may contain blanks and parentheses: count from the last ')'
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] rest = stat.substring(close + 1).strip().split("\\s+");
        // rest[0] is field 3 (state), so field 22 is rest[19]
        return rest.length > 19 && rest[19].chars().allMatch(Character::isDigit) ? rest[19] : null;
    }

    private static List<String> argv(byte[] raw) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                out.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < raw.length) {
            out.add(new String(raw, start, raw.length - start, StandardCharsets.UTF_8));
        }
        return out;
    }
}
