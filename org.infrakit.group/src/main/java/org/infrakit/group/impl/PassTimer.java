package org.infrakit.group.impl;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

/**
 * The timer of one {@link GroupLoop}: runs its passes on the executor one at a time, now when woken,
 * else after the delay the last pass returned. A wake-up while a pass runs collapses into one pass
 * right after it. Held (a suspended group) or stopped, it starts no pass.
 */
final class PassTimer {
    private static final long NONE = Long.MAX_VALUE;

    private final Scheduler scheduler;
    private final Executor executor;
    /** One pass; returns the delay in nanoseconds until the next one. */
    private final LongSupplier pass;
    private final long fallbackNanos;
    // guarded by this
    private boolean stopped;
    private boolean held;
    private boolean running;
    private Scheduler.Timer timer;
    private long timerDue = NONE;
    private long requestedAt = NONE;

    /** @param fallbackNanos the delay after a pass that failed unexpectedly */
    PassTimer(Scheduler scheduler, Executor executor, LongSupplier pass, long fallbackNanos) {
        this.scheduler = scheduler;
        this.executor = executor;
        this.pass = pass;
        this.fallbackNanos = fallbackNanos;
    }

    /** Asks for a pass in {@code delayNanos} (0: as soon as possible), unless one is due sooner. */
    synchronized void wakeIn(long delayNanos) {
        long now = scheduler.nanoTime();
        schedule(now + delayNanos, now);
    }

    /** @return stopped or held */
    synchronized boolean off() {
        return stopped || held;
    }

    synchronized boolean held() {
        return held && !stopped;
    }

    /** Starts no pass until {@link #release}; a running pass goes on. */
    synchronized void hold() {
        held = true;
        cancel();
    }

    /** Ends a hold: the next pass comes in {@code delayNanos}. */
    synchronized void release(long delayNanos) {
        held = false;
        wakeIn(delayNanos);
    }

    /** For good; a running pass goes on. */
    synchronized void stop() {
        stopped = true;
        cancel();
    }

    /** Waits until no pass runs. */
    synchronized void awaitIdle() {
        while (running) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
            timerDue = NONE;
        }
    }

    private void schedule(long due, long now) {
        if (stopped || held) {
            return;
        }
        if (running) {
            requestedAt = Math.min(requestedAt, due);
            return;
        }
        if (timer != null) {
            if (timerDue <= due) {
                return;
            }
            timer.cancel();
        }
        try {
            timer = scheduler.schedule(this::fire, due - now);
            timerDue = due;
        } catch (RejectedExecutionException e) {
            timer = null; // shutting down
            timerDue = NONE;
        }
    }

    private void fire() {
        synchronized (this) {
            if (stopped || held || running) {
                return;
            }
            timer = null;
            timerDue = NONE;
            running = true;
        }
        try {
            executor.execute(this::run);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                running = false;
                notifyAll();
            }
        }
    }

    private void run() {
        long delay = fallbackNanos;
        try {
            delay = pass.getAsLong();
        } finally {
            synchronized (this) {
                running = false;
                notifyAll();
                long now = scheduler.nanoTime();
                long due = Math.min(now + delay, requestedAt);
                requestedAt = NONE;
                schedule(due, now);
            }
        }
    }
}
