package org.infrakit.rpc.impl.server;

/**
 * How plugin sockets are served.
 *
 * @param maxBodyBytes largest request body accepted; larger ones get HTTP 413
 * @param idleTimeoutMs how long a connection may stay silent, also in the middle of a request
 * @param stopTimeoutMs how long a socket being closed waits for requests in flight
 * @param trace whether every request and response is logged (log level 5)
 * @param peers who may connect; {@code null}: the owner of the socket file (this process's uid) and root
 * @param readDeadlineMs how long a request may take to arrive whole, from its first byte; a
 *     connection whose request is not whole by then is closed
 * @param maxConnections how many connections one socket keeps open at once; past it, new ones are
 *     closed as they are accepted, with a warning
 */
public record ServerSettings(long maxBodyBytes, long idleTimeoutMs, long stopTimeoutMs, boolean trace,
        PeerPolicy peers, long readDeadlineMs, int maxConnections) {

    /** Defaults as in the bridge configuration. */
    public static final ServerSettings DEFAULTS = new ServerSettings(4L * 1024 * 1024, 30_000, 5_000, false, null,
            10_000, 4_096);

    /**
     * As the full constructor, with the default read deadline and connection cap.
     *
     * @param maxBodyBytes largest request body
     * @param idleTimeoutMs idle timeout
     * @param stopTimeoutMs stop timeout
     * @param trace whether to trace
     * @param peers who may connect
     */
    public ServerSettings(long maxBodyBytes, long idleTimeoutMs, long stopTimeoutMs, boolean trace, PeerPolicy peers) {
        this(maxBodyBytes, idleTimeoutMs, stopTimeoutMs, trace, peers, DEFAULTS_READ_DEADLINE_MS,
                DEFAULT_MAX_CONNECTIONS);
    }

    private static final long DEFAULTS_READ_DEADLINE_MS = 10_000;
    private static final int DEFAULT_MAX_CONNECTIONS = 4_096;

    /** @param t whether to trace @return a copy */
    public ServerSettings withTrace(boolean t) {
        return new ServerSettings(maxBodyBytes, idleTimeoutMs, stopTimeoutMs, t, peers, readDeadlineMs,
                maxConnections);
    }

    /** @param p who may connect @return a copy */
    public ServerSettings withPeers(PeerPolicy p) {
        return new ServerSettings(maxBodyBytes, idleTimeoutMs, stopTimeoutMs, trace, p, readDeadlineMs,
                maxConnections);
    }

    /** @param max the body limit @param idleMs the idle timeout @return a copy */
    public ServerSettings withLimits(long max, long idleMs) {
        return new ServerSettings(max, idleMs, stopTimeoutMs, trace, peers, readDeadlineMs, maxConnections);
    }

    /**
     * @param deadlineMs how long a request may take to arrive whole
     * @param connections how many connections one socket keeps at once
     * @return a copy
     */
    public ServerSettings withGuards(long deadlineMs, int connections) {
        return new ServerSettings(maxBodyBytes, idleTimeoutMs, stopTimeoutMs, trace, peers, deadlineMs, connections);
    }
}
