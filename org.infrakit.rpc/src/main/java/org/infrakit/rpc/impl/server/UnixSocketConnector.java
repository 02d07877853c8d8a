package org.infrakit.rpc.impl.server;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.IO;
import org.eclipse.jetty.util.thread.Scheduler;
import org.newsclub.net.unix.AFUNIXSelectorProvider;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jetty connector over a junixsocket server channel that is already bound, so that every
 * accepted connection's peer credentials (numeric uid and pid) can be checked before Jetty sees
 * it. Jetty's own {@code UnixDomainServerConnector} uses JDK channels, whose {@code SO_PEERCRED}
 * gives user and group names only, without the pid that the refusal log line needs.
 *
 * <p>junixsocket channels only register with junixsocket selectors, hence the selector manager
 * opening {@link AFUNIXSelectorProvider} selectors. Connections are accepted by the selector (no
 * acceptor thread): a refused peer is closed right there, before any byte is read.
 *
 * <p>Known quirk: a client that connects and hangs up before the connection is accepted (a bare
 * liveness probe) is not noticed by Jetty over junixsocket channels; its endpoint is dropped at
 * the idle timeout. Jetty's JDK-channel connector notices at once. Harmless (the file descriptor
 * is closed), and {@link PluginSocketServer#close()} does not wait for such endpoints.
 */
final class UnixSocketConnector extends AbstractConnector {
    private static final Logger LOG = LoggerFactory.getLogger(UnixSocketConnector.class);

    private final AFUNIXServerSocketChannel channel;
    private final Path socket;
    private final PeerPolicy peers;
    private final SelectorManager selectors;
    private final AtomicReference<Closeable> acceptor = new AtomicReference<>();
    private final long readDeadlineMs;
    private final int maxConnections;
    /** Connections refused at the cap since the last warning, and when that warning was. */
    private long refusedSinceWarning;
    private long lastWarningNanos;

    /**
     * @param server the server
     * @param channel the bound server channel
     * @param socket its path, for log lines
     * @param peers who may connect
     * @param readDeadlineMs how long a request may take to arrive whole, from its first byte
     * @param maxConnections how many connections may be open at once; more are refused
     * @param factories the connection factories
     */
    UnixSocketConnector(Server server, AFUNIXServerSocketChannel channel, Path socket, PeerPolicy peers,
            long readDeadlineMs, int maxConnections, ConnectionFactory... factories) {
        super(server, null, null, null, 0, factories);
        this.channel = channel;
        this.socket = socket;
        this.peers = peers;
        this.readDeadlineMs = readDeadlineMs;
        this.maxConnections = maxConnections;
        this.selectors = new Selectors(getExecutor(), getScheduler());
        addBean(selectors, true);
    }

    @Override
    protected void doStart() throws Exception {
        channel.configureBlocking(false);
        super.doStart();
        acceptor.set(selectors.acceptor(channel));
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        IO.close(acceptor.getAndSet(null));
        IO.close(channel);
    }

    @Override
    public void setAccepting(boolean accepting) {
        super.setAccepting(accepting);
        if (!accepting) {
            // graceful shutdown: stop taking new connections; in-flight ones complete
            IO.close(acceptor.getAndSet(null));
        } else if (isStarted() && acceptor.get() == null) {
            Closeable c = selectors.acceptor(channel);
            if (!acceptor.compareAndSet(null, c)) {
                IO.close(c);
            }
        }
    }

    @Override
    protected void accept(int acceptorID) {
        throw new UnsupportedOperationException("connections are accepted by the selector");
    }

    @Override
    public Object getTransport() {
        return channel;
    }

    /** Checks the peer of a freshly accepted connection; closes it when refused. */
    private void accepted(SelectableChannel ch) throws IOException {
        AFUNIXSocketChannel c = (AFUNIXSocketChannel) ch;
        AFUNIXSocketCredentials creds;
        try {
            creds = c.getPeerCredentials();
        } catch (IOException e) {
            LOG.warn("Refused a connection to plugin socket {}: its peer credentials cannot be read ({})", socket,
                    e.getMessage());
            IO.close(c);
            return;
        }
        long uid = creds == null ? -1 : creds.getUid();
        if (!peers.allows(uid)) {
            LOG.warn("Refused a connection to plugin socket {} from uid {} (pid {}): only {} may connect", socket,
                    uid, creds == null ? -1 : creds.getPid(), peers);
            IO.close(c);
            return;
        }
        if (getConnectedEndPoints().size() >= maxConnections) {
            IO.close(c);
            refusedAtCap(uid, creds.getPid());
            return;
        }
        c.configureBlocking(false);
        selectors.accept(c);
    }

    /**
     * Says that a connection was refused at the cap: the first time at once, then at most every
     * {@value #CAP_WARNING_INTERVAL_MS} ms with the number refused meanwhile, so that a flood does
     * not flood the log too. Called on the selector thread only.
     */
    private void refusedAtCap(long uid, long pid) {
        refusedSinceWarning++;
        long now = System.nanoTime();
        if (lastWarningNanos != 0 && now - lastWarningNanos < CAP_WARNING_INTERVAL_MS * 1_000_000) {
            return;
        }
        LOG.warn("Refused {} connection(s) to plugin socket {} (the last from uid {}, pid {}): it has {} open, its "
                + "limit (max.connections)", refusedSinceWarning, socket, uid, pid, maxConnections);
        refusedSinceWarning = 0;
        lastWarningNanos = now;
    }

    private static final long CAP_WARNING_INTERVAL_MS = 10_000;

    private final DeadlineCuts cuts = new DeadlineCuts();

    /**
     * Says that connections were cut at the read deadline: the first at once, then at most one line
     * every {@value #CAP_WARNING_INTERVAL_MS} ms with the number cut meanwhile (a flood of slow
     * clients would otherwise write a line each).
     */
    static final class DeadlineCuts {
        private long since;
        private long lastNanos;

        synchronized void cut(Path socket, long deadlineMs) {
            since++;
            long now = System.nanoTime();
            if (lastNanos != 0 && now - lastNanos < CAP_WARNING_INTERVAL_MS * 1_000_000) {
                return;
            }
            LOG.info("Plugin socket {}: closed {} connection(s) whose request did not arrive whole within {} ms "
                    + "(read.deadline)", socket, since, deadlineMs);
            since = 0;
            lastNanos = now;
        }
    }

    @Override
    public String toString() {
        return "UnixSocketConnector[" + socket + "]";
    }

    /**
     * An endpoint whose reads, writes and closes never overlap the selector's own closing of
     * channels.
     *
     * <p>The race it closes (it lost about one reply in 100,000 under connection churn): the
     * junixsocket selector closes, inside {@code select()}, every channel whose poll reported
     * POLLHUP or POLLERR, that is as soon as a client hangs up, without Jetty knowing; poll reports
     * these even for a channel Jetty is not interested in because a worker thread is using it.
     * junixsocket closes the file descriptor at once (unlike the JDK's channels, which defer the
     * close until no thread is inside an I/O call on it), so the worker, already past its check that
     * the channel is open, could read from or write to a descriptor number that the selector had
     * just freed and given to the next accepted connection: it read that connection's request (and
     * executed it) and answered it on the old, closed connection, while the new client waited for
     * the idle timeout. The selector closes under its own monitor (and accepts only after that), so
     * doing every read, write and close under the same monitor means a worker either finishes its
     * call before the descriptor is closed or finds the channel closed; it can never use a number
     * that was handed on. The calls are non-blocking and short, so holding the monitor costs little.
     */
    static final class GuardedEndPoint extends SocketChannelEndPoint {
        private final Object selectorLock;
        private final Scheduler scheduler;
        private final long readDeadlineMs;
        private final Path socket;
        /** The cut of the request under way, armed by its first byte; guarded by this. */
        private Scheduler.Task deadline;

        private final DeadlineCuts cuts;

        GuardedEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler,
                long readDeadlineMs, Path socket, DeadlineCuts cuts) {
            super(channel, selector, key, scheduler);
            this.cuts = cuts;
            this.selectorLock = key.selector();
            this.scheduler = scheduler;
            this.readDeadlineMs = readDeadlineMs;
            this.socket = socket;
        }

        @Override
        public int fill(ByteBuffer buffer) throws IOException {
            int n;
            synchronized (selectorLock) {
                n = super.fill(buffer);
            }
            if (n > 0) {
                armDeadline();
            }
            return n;
        }

        /**
         * The first bytes of a request arrived: it has {@code readDeadlineMs} to arrive whole
         * (the idle timeout alone would let a client that sends a byte now and then keep a
         * connection, and what it sent, forever).
         */
        private synchronized void armDeadline() {
            if (deadline == null && isOpen()) {
                deadline = scheduler.schedule(this::cut, readDeadlineMs, TimeUnit.MILLISECONDS);
            }
        }

        /** The request under way has arrived whole (its handler has it all): no deadline until the next one. */
        synchronized void requestArrived() {
            if (deadline != null) {
                deadline.cancel();
                deadline = null;
            }
        }

        private void cut() {
            synchronized (this) {
                if (deadline == null) {
                    return;
                }
                deadline = null;
            }
            cuts.cut(socket, readDeadlineMs);
            close(new TimeoutException("request not whole within " + readDeadlineMs + " ms"));
        }

        @Override
        public void onClose(Throwable cause) {
            requestArrived();
            super.onClose(cause);
        }

        @Override
        public boolean flush(ByteBuffer... buffers) throws IOException {
            synchronized (selectorLock) {
                return super.flush(buffers);
            }
        }

        @Override
        protected void doShutdownOutput() {
            synchronized (selectorLock) {
                super.doShutdownOutput();
            }
        }

        @Override
        public void doClose() {
            // also keeps the lock order of a close (selector, then the channel's close lock) the
            // same as the selector's own close: the other order could deadlock against it
            synchronized (selectorLock) {
                super.doClose();
            }
        }
    }

    private final class Selectors extends SelectorManager {
        Selectors(Executor executor, Scheduler scheduler) {
            super(executor, scheduler, 1);
        }

        @Override
        protected Selector newSelector() throws IOException {
            return AFUNIXSelectorProvider.provider().openSelector();
        }

        /**
         * junixsocket reports an accept that finds its connection gone as a
         * {@link ClosedChannelException}: the peer hung up before it was accepted (a bare liveness
         * probe, such as another runtime checking whether the name is taken), or this connector is
         * closing the listening channel. Neither leaves anything to serve, so it is no failure;
         * Jetty would log it as "Accept failed" with a stack trace. Other errors (out of file
         * descriptors, ...) still reach Jetty.
         */
        @Override
        protected SelectableChannel doAccept(SelectableChannel server) throws IOException {
            try {
                return super.doAccept(server);
            } catch (ClosedChannelException e) {
                LOG.debug("Plugin socket {}: a connection closed before it was accepted ({}; cause: {})", socket,
                        e, String.valueOf(e.getCause()));
                return null;
            }
        }

        @Override
        protected void accepted(SelectableChannel ch) throws IOException {
            UnixSocketConnector.this.accepted(ch);
        }

        @Override
        protected EndPoint newEndPoint(SelectableChannel ch, ManagedSelector selector, SelectionKey key) {
            SocketChannelEndPoint endPoint = new GuardedEndPoint((SocketChannel) ch, selector, key,
                    getScheduler(), readDeadlineMs, socket, cuts);
            endPoint.setIdleTimeout(getIdleTimeout());
            return endPoint;
        }

        @Override
        public Connection newConnection(SelectableChannel ch, EndPoint endPoint, Object attachment) {
            return getDefaultConnectionFactory().newConnection(UnixSocketConnector.this, endPoint);
        }

        @Override
        protected void endPointOpened(EndPoint endPoint) {
            super.endPointOpened(endPoint);
            onEndPointOpened(endPoint);
        }

        @Override
        protected void endPointClosed(EndPoint endPoint) {
            onEndPointClosed(endPoint);
            super.endPointClosed(endPoint);
        }
    }
}
