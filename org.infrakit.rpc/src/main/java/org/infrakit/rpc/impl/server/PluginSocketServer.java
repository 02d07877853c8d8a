package org.infrakit.rpc.impl.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One plugin socket: {@code <dir>/<name>} served over HTTP/1.1 by Jetty, answering with the
 * plugin objects it is given (which can be swapped while it runs).
 */
public final class PluginSocketServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginSocketServer.class);
    private static final int BACKLOG = 128;

    private final String name;
    private final Path socket;
    private final Object fileKey;
    private final Server server;
    private final GracefulHandler graceful;
    private final long stopTimeoutMs;
    private final AtomicReference<PluginObjects> objects;
    private boolean closed;

    private PluginSocketServer(String name, Path socket, Object fileKey, Server server, GracefulHandler graceful,
            long stopTimeoutMs, AtomicReference<PluginObjects> objects) {
        this.name = name;
        this.socket = socket;
        this.fileKey = fileKey;
        this.server = server;
        this.graceful = graceful;
        this.stopTimeoutMs = stopTimeoutMs;
        this.objects = objects;
    }

    /**
     * Binds {@code <dir>/<name>} (replacing a stale socket file, never a live one), restricts it to
     * mode 0600 and starts serving.
     *
     * @param name the plugin name, already validated
     * @param dir the plugins directory, existing
     * @param initial what to serve
     * @param settings limits, timeouts, tracing, peers
     * @param runtimeId the id sent in every response's {@code Infrakit-Runtime} header
     * @param threads the shared threads
     * @return the running server
     * @throws SocketFiles.SocketConflictException when a live process serves the name already
     * @throws IOException when the socket cannot be bound or served
     */
    public static PluginSocketServer start(String name, Path dir, PluginObjects initial, ServerSettings settings,
            String runtimeId, ServerThreads threads) throws IOException {
        Path socket = dir.resolve(name);
        String tooLong = SocketFiles.pathProblem(dir, name);
        if (tooLong != null) {
            throw new IOException("Cannot serve " + tooLong);
        }
        threads.awaitPrepared();
        SocketFiles.claim(socket, name);
        AFUNIXServerSocketChannel channel = AFUNIXServerSocketChannel.open();
        Object key = null;
        Server server = null;
        try {
            // we remove the file ourselves, and only if it is still ours
            channel.setDeleteOnClose(false);
            try {
                channel.bind(AFUNIXSocketAddress.of(socket), BACKLOG);
            } catch (IOException e) {
                if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                    throw new SocketFiles.SocketConflictException("Cannot serve plugin '" + name + "' in " + dir
                            + ": " + socket + " was created by another process just now (" + e.getMessage() + ")");
                }
                throw e;
            }
            key = SocketFiles.fileKey(socket);
            // The directory is 0700 already; the socket's own mode closes the window for anyone
            // who can still reach the directory.
            SocketFiles.restrict(socket);
            PeerPolicy peers = settings.peers();
            if (peers == null) {
                int ownUid = (Integer) Files.getAttribute(socket, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                peers = PeerPolicy.ownerAndRoot(ownUid);
            }

            threads.start();
            server = new Server(threads.pool(), threads.scheduler(), threads.buffers());
            server.unmanage(threads.pool());
            server.unmanage(threads.scheduler());
            HttpConfiguration http = new HttpConfiguration();
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
            UnixSocketConnector connector = new UnixSocketConnector(server, channel, socket, peers,
                    settings.readDeadlineMs(), settings.maxConnections(), new HttpConnectionFactory(http));
            connector.setIdleTimeout(settings.idleTimeoutMs());
            server.addConnector(connector);
            AtomicReference<PluginObjects> objects = new AtomicReference<>(initial);
            GracefulHandler graceful = new GracefulHandler(
                    new RpcHandler(name, runtimeId, objects::get, settings.maxBodyBytes(), settings.trace()));
            server.setHandler(graceful);
            // close() waits for requests in flight itself; Jetty's own graceful stop would also wait
            // for idle connections, and one whose client hung up before it was accepted is only
            // noticed at the idle timeout
            server.setStopTimeout(0);
            server.setStopAtShutdown(false);
            server.start();
            LOG.info("Serving plugin '{}' on {}", name, socket);
            return new PluginSocketServer(name, socket, key, server, graceful, settings.stopTimeoutMs(), objects);
        } catch (Exception e) {
            if (server != null) {
                // a half-started server would keep its selector running on the shared pool
                try {
                    server.stop();
                } catch (Exception stop) {
                    LOG.debug("stopping the server of plugin '{}' after a failed start", name, stop);
                }
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing after a failed start
            }
            if (key != null) {
                SocketFiles.removeIfOurs(socket, key);
            }
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException("Cannot serve plugin '" + name + "' on " + socket + ": " + e, e);
        }
    }

    /** @return the plugin name */
    public String name() {
        return name;
    }

    /** @return the socket path */
    public Path socket() {
        return socket;
    }

    /** @return what is served now */
    public PluginObjects objects() {
        return objects.get();
    }

    /** @param now what to serve from the next request on */
    public void update(PluginObjects now) {
        objects.set(now);
    }

    /**
     * Removes the socket file (so nobody new finds it), lets requests in flight finish within the
     * stop timeout, then closes every connection. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        SocketFiles.removeIfOurs(socket, fileKey);
        try {
            // requests in flight finish (later ones on kept-alive connections get 503)
            graceful.shutdown().get(stopTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("Plugin '{}' on {}: requests still running after {} ms are cut off", name, socket, stopTimeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.debug("graceful shutdown of plugin '{}'", name, e);
        }
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("Stopping the server of plugin '{}' on {}: {}", name, socket, e.toString());
        }
        LOG.info("Stopped serving plugin '{}' on {}", name, socket);
    }
}
