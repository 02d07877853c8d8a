package org.infrakit.group.impl;

/**
 * Time and timers for the group engine. Injected so that tests can drive the engine with virtual
 * time; the runtime uses {@link ExecutorScheduler}.
 */
public interface Scheduler {
    /** @return a monotonic time in nanoseconds, as {@link System#nanoTime()} */
    long nanoTime();

    /**
     * Runs a task once after a delay. The task must be short: it should hand real work to an
     * executor.
     *
     * @param task what to run
     * @param delayNanos how long to wait; zero or negative runs it as soon as possible
     * @return a handle to cancel the task before it runs
     */
    Timer schedule(Runnable task, long delayNanos);

    /** A scheduled task. */
    interface Timer {
        /** Cancels the task if it has not started; harmless afterwards. */
        void cancel();
    }
}
