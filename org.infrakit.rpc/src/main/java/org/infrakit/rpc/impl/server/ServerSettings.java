package org.infrakit.rpc.impl.server;

/**
 * How plugin sockets are served.
 *
 * @param maxBodyBytes largest request body accepted; larger ones get HTTP 413
 * @param idleTimeoutMs how long a connection may stay silent, also in the middle of a request
 * @param stopTimeoutMs how long a socket being closed waits for requests in flight
 * @param trace whether every request and response is logged (log level 5)
 * @param peers who may connect; {@code null}: the owner of the socket file (this process's uid) and root
 */
public record ServerSettings(long maxBodyBytes, long idleTimeoutMs, long stopTimeoutMs, boolean trace,
        PeerPolicy peers) {

    /** Defaults as in the bridge configuration. */
    public static final ServerSettings DEFAULTS = new ServerSettings(4L * 1024 * 1024, 30_000, 5_000, false, null);

    /** @param t whether to trace @return a copy */
    public ServerSettings withTrace(boolean t) {
        return new ServerSettings(maxBodyBytes, idleTimeoutMs, stopTimeoutMs, t, peers);
    }

    /** @param p who may connect @return a copy */
    public ServerSettings withPeers(PeerPolicy p) {
        return new ServerSettings(maxBodyBytes, idleTimeoutMs, stopTimeoutMs, trace, p);
    }

    /** @param max the body limit @param idleMs the idle timeout @return a copy */
    public ServerSettings withLimits(long max, long idleMs) {
        return new ServerSettings(max, idleMs, stopTimeoutMs, trace, peers);
    }
}
