package org.infrakit.boot;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * The bnd launcher's main-thread service ({@code main.thread=true}): the launcher calls it on the
 * JVM's main thread and exits with what it returns. It returns 0 as soon as the framework begins
 * to stop ({@code shutdown}, {@code stop 0}, Ctrl-D at the prompt); the launcher then waits for the
 * framework to finish stopping and exits with 0.
 *
 * <p>Without it the launcher's own framework watcher exits with 117 after every stop. Returning
 * at the beginning of the stop, not at its end, matters: it lets the launcher mark itself inactive
 * before its watcher wakes, so the watcher's exit code is never used.
 */
public final class OrderlyExit implements Callable<Integer>, SynchronousBundleListener {
    private final CountDownLatch stopping = new CountDownLatch(1);

    /**
     * Starts listening.
     *
     * @param systemContext the system bundle's context
     */
    void listen(BundleContext systemContext) {
        systemContext.addBundleListener(this);
        if ((systemContext.getBundle().getState() & (Bundle.STARTING | Bundle.ACTIVE)) == 0) {
            stopping.countDown();
        }
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getBundle().getBundleId() == 0 && event.getType() == BundleEvent.STOPPING) {
            stopping.countDown();
        }
    }

    /** @return 0, once the framework is stopping */
    @Override
    public Integer call() throws InterruptedException {
        stopping.await();
        return 0;
    }
}
