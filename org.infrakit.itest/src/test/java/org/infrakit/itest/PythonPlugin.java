package org.infrakit.itest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The foreign plugin of the tests, {@code python/foreign_plugin.py} in the test resources: a
 * Python 3 instance plugin serving a unix socket from a process outside the framework. Every
 * process started here is killed when the test JVM exits at the latest.
 */
final class PythonPlugin implements AutoCloseable {
    private static final List<Process> STARTED = new CopyOnWriteArrayList<>();
    private static volatile String interpreter;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly),
                "itest-python-killer"));
    }

    private final Process process;
    private final Path socket;
    private final StringBuffer output = new StringBuffer();

    private PythonPlugin(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
    }

    /**
     * The Python 3 interpreter: system property {@code it.python}, else the real executable
     * behind {@code python3} on the PATH (asked once; a version-manager shim costs about a second
     * per start on a loaded machine).
     */
    static String interpreter() {
        String found = interpreter;
        if (found != null) {
            return found;
        }
        String configured = System.getProperty("it.python", "");
        if (!configured.isBlank()) {
            found = configured.trim();
        } else {
            try {
                Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)")
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
                    throw new IllegalStateException("cannot find python3: " + out);
                }
                found = out;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run python3 (set -Dit.python=...)", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        interpreter = found;
        return found;
    }

    /** @return the plugin script, from the test resources (system property {@code it.resources}) */
    static Path script() {
        String dir = System.getProperty("it.resources");
        if (dir == null) {
            throw new IllegalStateException("system property it.resources is not set (run the tests through Maven failsafe)");
        }
        Path script = Path.of(dir, "python", "foreign_plugin.py");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("no plugin script at " + script);
        }
        return script;
    }

    /** @return the command line that runs the script unbuffered, without its arguments */
    static List<String> command() {
        return List.of(interpreter(), "-u", script().toString());
    }

    /**
     * Starts the script serving {@code socket} and waits until it says it listens.
     *
     * @param socket the socket path to serve
     * @return the running plugin
     */
    static PythonPlugin serve(Path socket) throws IOException {
        List<String> argv = new java.util.ArrayList<>(command());
        argv.add("--socket");
        argv.add(socket.toString());
        Process process = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        STARTED.add(process);
        PythonPlugin plugin = new PythonPlugin(process, socket);
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> plugin.drain(ready), "itest-python-" + socket.getFileName());
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(Poll.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            plugin.close();
            throw new IOException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            plugin.close();
            throw new IOException("the Python plugin for " + socket + " did not come up; it printed: " + plugin.output, e);
        }
        return plugin;
    }

    private void drain(CompletableFuture<Void> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                output.append(line).append('\n');
                if (line.equals("ready")) {
                    ready.complete(null);
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        ready.completeExceptionally(new IOException("exited with " + exitCode()));
    }

    private String exitCode() {
        try {
            return String.valueOf(process.waitFor(1, TimeUnit.SECONDS) ? process.exitValue() : "?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    /** @return the process id */
    long pid() {
        return process.pid();
    }

    /** @return the socket it serves */
    Path socket() {
        return socket;
    }

    /** @return whether the process runs */
    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the process gets no chance to remove its socket file. Waits until it is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the Python plugin " + pid() + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the process and removes its socket file. */
    @Override
    public void close() {
        kill();
        STARTED.remove(process);
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // a left-over socket file in a temporary directory is removed with it
        }
    }
}
