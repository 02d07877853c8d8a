package org.infrakit.group.impl;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real clock: {@link System#nanoTime()} and a {@link ScheduledExecutorService} owned by the
 * caller.
 */
public final class ExecutorScheduler implements Scheduler {
    private final ScheduledExecutorService timers;

    /** @param timers runs the (short) timer tasks; owned and shut down by the caller */
    public ExecutorScheduler(ScheduledExecutorService timers) {
        this.timers = timers;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Timer schedule(Runnable task, long delayNanos) {
        ScheduledFuture<?> f = timers.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }
}
