package org.infrakit.conformance;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A Python plugin started as a process, serving a socket until closed. */
final class PythonPlugin implements AutoCloseable {
    private final Process process;
    final Path socket;

    private PythonPlugin(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
    }

    /** Starts {@code python3 script args...} and waits until {@code socket} accepts connections. */
    static PythonPlugin start(Path script, Path socket, Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3", script.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PythonPlugin plugin = new PythonPlugin(p, socket);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                return plugin;
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    plugin.close();
                    throw new AssertionError("python3 " + script + " did not serve " + socket + ": " + e);
                }
                Thread.sleep(50);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
