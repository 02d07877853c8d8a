package org.infrakit.rpc.impl.server;

import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads and buffers every plugin socket of one bridge shares: one pool (threads named
 * {@code <prefix>-N}), one timer, one buffer pool. Started on first use, stopped by {@link #close()}.
 */
public final class ServerThreads implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerThreads.class);
    private final QueuedThreadPool pool;
    private final ScheduledExecutorScheduler scheduler;
    private final ByteBufferPool buffers = new ArrayByteBufferPool();
    private boolean started;
    private boolean closed;

    /** @param prefix the thread name prefix, e.g. {@code infrakit-rpc} */
    public ServerThreads(String prefix) {
        // each socket keeps one thread in its selector; the rest serve requests and die when idle
        pool = new QueuedThreadPool(128, 2, 60_000);
        pool.setName(prefix);
        pool.setDaemon(true);
        scheduler = new ScheduledExecutorScheduler(prefix + "-timer", true);
    }

    /**
     * Pays the first-use costs of serving on a short-lived thread of its own, while the caller goes
     * on (the bridge's export thread opens and binds its first socket meanwhile, loading the native
     * socket library): starts these threads, builds one throwaway Jetty {@link Server} (its class
     * initialisation, MIME and header tables, is most of a first server's start) and answers one
     * request with the JSON codec ({@link JsonRpcDispatcher#warmUp()}).
     * <p>
     * The Jetty part runs under this object's lock, which {@link #start()} takes too: a server is
     * only built after it, so Jetty's classes are never initialised by two threads at once. On a
     * two-core machine this takes about a tenth of a second off the time to the first answer.
     */
    public void prepareInBackground() {
        Thread t = new Thread(() -> {
            try {
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    start();
                    new Server(pool, scheduler, buffers);
                }
                JsonRpcDispatcher.warmUp();
            } catch (Exception | LinkageError e) {
                // the first real server or call pays the cost, and reports whatever is wrong
                LOG.debug("Preparing the server threads and the JSON codec failed", e);
            }
        }, pool.getName() + "-warm-up");
        t.setDaemon(true);
        t.start();
    }

    synchronized void start() throws Exception {
        if (closed) {
            throw new IllegalStateException("the bridge's server threads are stopped");
        }
        if (!started) {
            scheduler.start();
            pool.start();
            started = true;
        }
    }

    ThreadPool pool() {
        return pool;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    ByteBufferPool buffers() {
        return buffers;
    }

    /** Stops the threads; every server using them must be closed first. */
    @Override
    public synchronized void close() {
        closed = true;
        if (started) {
            try {
                pool.stop();
            } catch (Exception e) {
                // nothing to do: the pool's threads are daemons
            }
            try {
                scheduler.stop();
            } catch (Exception e) {
                // idem
            }
        }
    }
}
