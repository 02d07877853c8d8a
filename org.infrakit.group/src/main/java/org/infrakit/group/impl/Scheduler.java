package org.infrakit.group.impl;

/**
 * Time and timers for the group engine. Injected so that tests can drive the engine with virtual
 * time; the runtime uses {@link ExecutorScheduler}.
 */
public interface Scheduler {
    /** @return a monotonic time in nanoseconds, as {@link System#nanoTime()} */
    long nanoTime();

    /**
     * Runs a short task (one that hands real work to an executor) once after {@code delayNanos}; zero
     * or negative: as soon as possible.
     */
    Timer schedule(Runnable task, long delayNanos);

    interface Timer {
        /** Cancels the task if it has not started; harmless afterwards. */
        void cancel();
    }
}
