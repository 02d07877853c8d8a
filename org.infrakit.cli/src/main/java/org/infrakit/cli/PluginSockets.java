package org.infrakit.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.infrakit.rpc.client.JsonRpcClient;
import org.infrakit.rpc.client.PluginHandshake;
import org.infrakit.rpc.client.RemoteError;

/**
 * The sockets of one plugins directory, as this client talks to them: a JSON-RPC client per use,
 * a deadline per call, one timer thread for all deadlines. Closed once, at the end of the command.
 */
final class PluginSockets implements AutoCloseable {
    private final Path dir;
    private final long callTimeoutMs;
    private final long probeTimeoutMs;
    private final boolean trace;
    private final ScheduledExecutorService timer;

    /**
     * @param dir the plugins directory
     * @param callTimeoutMs the deadline of a plugin call
     * @param probeTimeoutMs the deadline of each handshake call
     * @param trace whether to log every request and reply
     */
    PluginSockets(Path dir, long callTimeoutMs, long probeTimeoutMs, boolean trace) {
        this.dir = dir;
        this.callTimeoutMs = callTimeoutMs;
        this.probeTimeoutMs = probeTimeoutMs;
        this.trace = trace;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "infrakit-cli-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** @return the plugins directory */
    Path dir() {
        return dir;
    }

    /** @param name a plugin name @return its socket path */
    Path socket(String name) {
        return dir.resolve(name);
    }

    /** @param name a plugin name @return whether a socket of that name exists */
    boolean exists(String name) {
        return PluginsDirectory.isSocket(socket(name));
    }

    /**
     * @return the names of the sockets in the directory, sorted
     * @throws IOException when the directory cannot be read
     */
    List<String> names() throws IOException {
        return PluginsDirectory.socketNames(dir);
    }

    /**
     * @param name a plugin name
     * @return a client for the plugin's calls; the caller closes it
     */
    JsonRpcClient client(String name) {
        return new JsonRpcClient(socket(name), callTimeoutMs, timer, trace);
    }

    /**
     * Asks a socket what it implements.
     *
     * @param name a plugin name
     * @return the offer
     * @throws RemoteError when the socket answers neither handshake
     * @throws org.osgi.framework.ServiceException when the socket cannot be reached
     */
    PluginHandshake.Offer handshake(String name) throws RemoteError {
        try (JsonRpcClient rpc = new JsonRpcClient(socket(name), probeTimeoutMs, timer, trace)) {
            return PluginHandshake.run(rpc);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
