package org.infrakit.rpc.impl.server;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
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
    /**
     * At most {@value #POOL_RETAINED_BYTES} bytes of idle heap buffers and as much of direct ones
     * are kept for reuse; more go back to the garbage collector. Jetty's default keeps up to a
     * share of the heap size, so a burst of thousands of connections (each holding a read buffer
     * while its request arrives) left tens of megabytes of direct memory pooled for good.
     */
    private final ByteBufferPool buffers = new ArrayByteBufferPool(0, -1, -1, -1, POOL_RETAINED_BYTES,
            POOL_RETAINED_BYTES);
    static final long POOL_RETAINED_BYTES = 4L * 1024 * 1024;
    /** How long a first server waits for {@link #prepareInBackground()} at most. */
    static final long PREPARE_WAIT_MS = 10_000;
    private boolean started;
    private boolean closed;
    private volatile CountDownLatch prepared;

    /** @param prefix the thread name prefix, e.g. {@code infrakit-rpc} */
    public ServerThreads(String prefix) {
        // each socket keeps one thread in its selector; the rest serve requests and die after 10 s
        // idle, so that a burst (thousands of connections trickling bytes) does not leave a hundred
        // threads, their stacks and their buffers behind for long
        pool = new QueuedThreadPool(128, 2, 10_000);
        // all idle ones at once (Jetty's default: one thread per idle period, minutes for a hundred)
        pool.setMaxEvictCount(128);
        pool.setName(prefix);
        pool.setDaemon(true);
        scheduler = new ScheduledExecutorScheduler(prefix + "-timer", true);
    }

    /**
     * Pays the first-use costs of serving on two short-lived threads while the caller goes on: one
     * loads the native socket library and opens (and closes) one unix server socket channel; the
     * other starts these threads, builds one throwaway Jetty {@link Server} (its class
     * initialisation, MIME and header tables, is most of a first server's start) and answers one
     * request with the JSON codec ({@link JsonRpcDispatcher#warmUp()}). A first socket server
     * waits for both ({@link #awaitPrepared()}), so no class is ever initialised by two threads at
     * once. On a two-core machine this takes about a tenth of a second off the time to the first
     * answer.
     */
    public void prepareInBackground() {
        CountDownLatch done = new CountDownLatch(2);
        prepared = done;
        warmUp("native", done, () -> AFUNIXServerSocketChannel.open().close());
        warmUp("jetty", done, () -> {
            synchronized (this) {
                if (closed) {
                    return;
                }
                start();
                new Server(pool, scheduler, buffers);
            }
            JsonRpcDispatcher.warmUp();
        });
    }

    private interface WarmUp {
        void run() throws Exception;
    }

    private void warmUp(String what, CountDownLatch done, WarmUp work) {
        Thread t = new Thread(() -> {
            try {
                work.run();
            } catch (Exception | LinkageError e) {
                // the first real server or call pays the cost, and reports whatever is wrong
                LOG.debug("Warming up ({}) failed", what, e);
            } finally {
                done.countDown();
            }
        }, pool.getName() + "-warm-up-" + what);
        t.setDaemon(true);
        t.start();
    }

    /**
     * Waits until the work of {@link #prepareInBackground()} is done, if it was started; never
     * longer than {@value #PREPARE_WAIT_MS} ms (then the first server pays what is left itself).
     */
    void awaitPrepared() {
        CountDownLatch done = prepared;
        if (done == null) {
            return;
        }
        try {
            if (!done.await(PREPARE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                LOG.debug("Warming up takes more than {} ms; serving anyway", PREPARE_WAIT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
