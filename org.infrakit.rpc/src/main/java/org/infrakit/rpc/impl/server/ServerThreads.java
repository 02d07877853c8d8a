package org.infrakit.rpc.impl.server;

import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * The threads and buffers every plugin socket of one bridge shares: one pool (threads named
 * {@code <prefix>-N}), one timer, one buffer pool. Started on first use, stopped by {@link #close()}.
 */
public final class ServerThreads implements AutoCloseable {
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
