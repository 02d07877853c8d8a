package org.infrakit.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The exported runtime jar running as a process, started by a command (the launch script, or
 * {@code java -jar infrakit.jar}) in its {@code INFRAKIT_HOME}, with {@code deploy/} made beforehand.
 * Its standard input is a pipe kept open until it has stopped (a console would stop the framework
 * at end of input), its output goes to {@code console.log} in the home directory.
 */
final class RuntimeProcess implements AutoCloseable {
    private static final long STOP_WAIT_SECONDS = 10;

    private final Process process;
    private final long startNanos;
    private final Path home;
    private final OutputStream stdin;
    /** Kills the runtime if the benchmark itself is stopped (Ctrl-C) while it runs: no orphans. */
    private final Thread killOnExit;

    private RuntimeProcess(Process process, long startNanos, Path home) {
        this.process = process;
        this.startNanos = startNanos;
        this.home = home;
        this.stdin = process.getOutputStream();
        this.killOnExit = new Thread(() -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }, "bench-runtime-kill");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * @param jar the runtime jar
     * @return {@code java -jar <jar>} with the JDK running this program, no options
     */
    static List<String> plainCommand(Path jar) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString());
    }

    /**
     * @param command the command line that starts the runtime
     * @param home the {@code INFRAKIT_HOME} to run in (existing)
     * @param env more environment variables
     * @return the started process
     * @throws IOException when it cannot be started
     */
    static RuntimeProcess start(List<String> command, Path home, Map<String, String> env) throws IOException {
        return start(command, home, env, false);
    }

    /**
     * @param command the command line that starts the runtime
     * @param home the {@code INFRAKIT_HOME} to run in (existing)
     * @param env more environment variables
     * @param devNull whether standard input is {@code /dev/null} (as a service has it) rather than
     *     a pipe kept open; only for the launch script, which then runs headless (a plain
     *     {@code java -jar} would read the end of input as the console's end and stop)
     * @return the started process
     * @throws IOException when it cannot be started
     */
    static RuntimeProcess start(List<String> command, Path home, Map<String, String> env, boolean devNull)
            throws IOException {
        Files.createDirectories(home.resolve("deploy"));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("console.log").toFile())
                .redirectInput(devNull ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
                        : ProcessBuilder.Redirect.PIPE);
        Map<String, String> e = pb.environment();
        e.remove("INFRAKIT_PLUGINS_DIR");
        e.put("INFRAKIT_HOME", home.toString());
        e.putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            return new RuntimeProcess(p, t0, home);
        } catch (IllegalStateException stopping) {
            // the benchmark is being stopped: its shutdown hooks have run already
            p.destroyForcibly();
            throw new IOException("the benchmark is stopping", stopping);
        }
    }

    /**
     * @return the command line of the process now (after a launch script has exec'd the JVM: the
     *     JVM's), or an empty list when the system does not tell
     */
    List<String> commandLine() {
        ProcessHandle.Info info = process.info();
        List<String> out = new ArrayList<>();
        info.command().ifPresent(out::add);
        info.arguments().ifPresent(a -> out.addAll(List.of(a)));
        return out;
    }

    /** @return the {@link System#nanoTime()} just before the process was started */
    long startNanos() {
        return startNanos;
    }

    /** @return the process id (after a launch script has exec'd the JVM: the JVM's) */
    long pid() {
        return process.pid();
    }

    /** @return its {@code INFRAKIT_HOME} */
    Path home() {
        return home;
    }

    /** @return its plugins directory */
    Path plugins() {
        return home.resolve("plugins");
    }

    /** @return its deploy directory */
    Path deploy() {
        return home.resolve("deploy");
    }

    /**
     * @return the resident set size now ({@code VmRSS} of {@code /proc/<pid>/status}), in KiB
     * @throws IOException when it cannot be read (the process is gone)
     */
    long residentKiB() throws IOException {
        if (!process.isAlive()) {
            throw new IOException("the runtime process exited with status " + process.exitValue() + "; "
                    + consoleTail());
        }
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                String v = line.substring("VmRSS:".length()).trim();
                return Long.parseLong(v.substring(0, v.indexOf(' ')));
            }
        }
        throw new IOException("no VmRSS in /proc/" + process.pid() + "/status");
    }

    /** @return the last lines of its console output, for error messages */
    String consoleTail() {
        try {
            List<String> lines = Files.readAllLines(home.resolve("console.log"), StandardCharsets.UTF_8);
            List<String> last = new ArrayList<>();
            for (String l : lines.subList(Math.max(0, lines.size() - 3), lines.size())) {
                last.add(l.length() > 200 ? l.substring(0, 200) + "..." : l);
            }
            return "last console lines: " + String.join(" | ", last);
        } catch (IOException | RuntimeException e) {
            return "no console output";
        }
    }

    /**
     * Stops it: SIGTERM (the runtime stops its framework in order), then SIGKILL if it is still
     * there after a wait; child processes it left are killed.
     */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        try {
            stdin.close();
        } catch (IOException e) {
            // the pipe is gone with the process
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
