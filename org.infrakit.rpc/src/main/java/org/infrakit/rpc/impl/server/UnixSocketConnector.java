package org.infrakit.rpc.impl.server;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.Executor;
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

    UnixSocketConnector(Server server, AFUNIXServerSocketChannel channel, Path socket, PeerPolicy peers,
            ConnectionFactory... factories) {
        super(server, null, null, null, 0, factories);
        this.channel = channel;
        this.socket = socket;
        this.peers = peers;
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
        c.configureBlocking(false);
        selectors.accept(c);
    }

    @Override
    public String toString() {
        return "UnixSocketConnector[" + socket + "]";
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
            SocketChannelEndPoint endPoint = new SocketChannelEndPoint((SocketChannel) ch, selector, key,
                    getScheduler());
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
