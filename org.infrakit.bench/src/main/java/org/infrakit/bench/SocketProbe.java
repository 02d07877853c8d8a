package org.infrakit.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.infrakit.rpc.client.JsonRpcClient;
import org.infrakit.rpc.client.RemoteError;
import org.infrakit.rpc.message.HandshakeMessages;
import org.osgi.framework.ServiceException;

/**
 * Asks plugin sockets {@code Plugin.Implements} with the bridge's own client, and waits for
 * sockets to answer. A socket answers when that call returns a result.
 */
final class SocketProbe implements AutoCloseable {
    private static final long CALL_TIMEOUT_MS = 2_000;
    private static final long POLL_MILLIS = 2;

    private final ScheduledThreadPoolExecutor timer;

    SocketProbe() {
        timer = new ScheduledThreadPoolExecutor(1, new NamedThreads("bench-probe-deadline"));
        timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * @param socket a socket path
     * @return whether it exists and answers {@code Plugin.Implements} with a result now
     */
    boolean answers(Path socket) {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (JsonRpcClient client = new JsonRpcClient(socket, CALL_TIMEOUT_MS, timer, false)) {
            HandshakeMessages.PluginImplementsResponse r = client.call("Plugin.Implements", null,
                    HandshakeMessages.PluginImplementsResponse.class);
            return r.interfaces() != null && !r.interfaces().isEmpty();
        } catch (ServiceException | RemoteError e) {
            return false;
        }
    }

    /**
     * Polls until every socket answers.
     *
     * @param sockets the sockets
     * @param t0 the {@link System#nanoTime()} to count from
     * @param timeout the longest wait, from {@code t0}
     * @return nanoseconds from {@code t0} until the last of them answered
     * @throws IllegalStateException naming the sockets that did not answer in time
     * @throws InterruptedException when interrupted
     */
    long awaitAll(List<Path> sockets, long t0, Duration timeout) throws InterruptedException {
        List<Path> waiting = new ArrayList<>(sockets);
        long deadline = t0 + timeout.toNanos();
        while (true) {
            waiting.removeIf(this::answers);
            long now = System.nanoTime();
            if (waiting.isEmpty()) {
                return now - t0;
            }
            if (now > deadline) {
                throw new IllegalStateException("no answer to Plugin.Implements within "
                        + GroupBenchmark.duration(timeout) + " from " + waiting);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /**
     * Polls a plugins directory until a socket whose name is not in {@code before} answers.
     *
     * @param dir the plugins directory
     * @param before the names that were there already
     * @param t0 the {@link System#nanoTime()} to count from
     * @param timeout the longest wait, from {@code t0}
     * @return the new socket and the nanoseconds from {@code t0} until it answered
     * @throws IllegalStateException when no new socket answered in time
     * @throws IOException when the directory cannot be listed
     * @throws InterruptedException when interrupted
     */
    NewSocket awaitNew(Path dir, Set<String> before, long t0, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = t0 + timeout.toNanos();
        while (true) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                for (Path p : s) {
                    if (!before.contains(p.getFileName().toString()) && answers(p)) {
                        return new NewSocket(p.getFileName().toString(), System.nanoTime() - t0);
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no new socket answered Plugin.Implements in " + dir + " within "
                        + GroupBenchmark.duration(timeout));
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /**
     * @param name the socket's file name
     * @param nanos nanoseconds from the start of the wait until it answered
     */
    record NewSocket(String name, long nanos) {
    }

    /**
     * @param dir a directory
     * @return the names in it now
     * @throws IOException when it cannot be listed
     */
    static Set<String> names(Path dir) throws IOException {
        Set<String> out = new java.util.HashSet<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                out.add(p.getFileName().toString());
            }
        }
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
