package org.infrakit.reliability;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The exported runtime jar running as a process, as users run it: {@code java -jar infrakit.jar}
 * with its {@code INFRAKIT_HOME} as the working directory, headless (standard input a pipe that
 * stays open while it runs), its output in a log file. The jar is the one the {@code run} module
 * builds, passed by Maven as the system property {@code infrakit.jar}.
 */
final class RuntimeJar implements AutoCloseable {
    /** The sockets of the default plugins. */
    static final List<String> SOCKETS = List.of(PluginHost.GROUP, PluginHost.INSTANCE, PluginHost.FLAVOR);

    private final Process process;
    private final OutputStream stdin;
    private final Path home;
    private final Path log;

    private RuntimeJar(Process process, Path home, Path log) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.home = home;
        this.log = log;
    }

    /** @return the runtime jar @throws AssertionError when it has not been built */
    static Path jar() {
        Path jar = Path.of(System.getProperty("infrakit.jar", "../run/target/infrakit.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("no runtime jar at " + jar + ": build the run module first");
        }
        return jar;
    }

    /**
     * Starts the runtime; {@link #awaitServing} waits until it answers.
     *
     * @param home its {@code INFRAKIT_HOME} (existing; short, as socket paths are limited to about
     *     108 bytes)
     * @param log where its output goes (replaced)
     * @return the running process
     */
    static RuntimeJar start(Path home, Path log) throws IOException {
        Files.createDirectories(home.resolve("tmp"));
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + home.resolve("tmp"),
                "-jar", jar().toString())
                .directory(home.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().remove("INFRAKIT_PLUGINS_DIR");
        pb.environment().put("INFRAKIT_HOME", home.toString());
        return new RuntimeJar(pb.start(), home, log);
    }

    /** @return its plugins directory */
    Path plugins() {
        return home.resolve("plugins");
    }

    /**
     * Waits until every default plugin's socket answers Plugin.Implements.
     *
     * @param timeout how long to wait
     * @throws AssertionError when it exits first or the time is up, with the end of its output
     */
    void awaitServing(Duration timeout) {
        Poll.until(timeout, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("the runtime exited with status " + process.exitValue() + "; " + tail());
            }
            for (String name : SOCKETS) {
                try {
                    Replies.assertServes(plugins().resolve(name));
                } catch (AssertionError e) {
                    return e.getMessage() + "; " + tail();
                }
            }
            return null;
        }, "the runtime's sockets to answer");
    }

    /** @return its pid */
    long pid() {
        return process.pid();
    }

    /** @return whether it still runs */
    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until it exits by itself.
     *
     * @param timeout how long to wait
     * @return its exit status
     * @throws AssertionError when it still runs after the timeout
     */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the runtime still runs after " + timeout + "; " + tail());
        }
        return process.exitValue();
    }

    /** @return everything it wrote */
    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Kills it with SIGKILL. @return its exit status */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the runtime did not die of SIGKILL within 30 s");
        }
        return process.exitValue();
    }

    /** Stops it with SIGTERM. @return its exit status */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the runtime did not stop within 60 s of SIGTERM; " + tail());
        }
        return process.exitValue();
    }

    /** @return the last lines of its output, for failure messages */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "output (" + log + ") ends: " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5),
                    lines.size()));
        } catch (IOException e) {
            return "no output in " + log;
        }
    }

    /** Kills it if it still runs, and closes its standard input. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        try {
            stdin.close();
        } catch (IOException e) {
            // the pipe went with the process
        }
    }
}
