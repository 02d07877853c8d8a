package org.infrakit.group.impl;

import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;

/** Virtual time: timers run only when a test advances the clock, on the test's thread. */
final class ManualScheduler implements Scheduler {
    private final class Task implements Timer {
        final long due;
        final long seq;
        final Runnable run;
        volatile boolean cancelled;

        Task(long due, long seq, Runnable run) {
            this.due = due;
            this.seq = seq;
            this.run = run;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>(
            Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.seq));
    private long now = 1_000_000_000_000L;
    private long seq;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Timer schedule(Runnable task, long delayNanos) {
        Task t = new Task(now + Math.max(0, delayNanos), seq++, task);
        queue.add(t);
        return t;
    }

    /** Runs every timer due within the given time, in order, moving the clock along. */
    void advance(Duration d) {
        long end;
        synchronized (this) {
            end = now + d.toNanos();
        }
        for (int guard = 0; guard < 1_000_000; guard++) {
            Task t;
            synchronized (this) {
                t = queue.peek();
                if (t == null || t.due > end) {
                    now = end;
                    return;
                }
                queue.poll();
                now = Math.max(now, t.due);
            }
            if (!t.cancelled) {
                t.run.run();
            }
        }
        throw new IllegalStateException("timers keep firing without time passing");
    }

    /** Runs the timers that are due now. */
    void runDue() {
        advance(Duration.ZERO);
    }
}
