package org.infrakit.itest;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Waiting for a condition: probes every 50 ms until it holds or a deadline passes, then fails
 * with what was awaited and the last value (or failure) seen. Never a fixed sleep.
 */
final class Poll {
    /** Long enough for a loaded 2-core machine; conditions normally hold within a second. */
    static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final long PAUSE_MS = 50;

    private Poll() {
    }

    /**
     * @param what the condition, for the failure message ("the socket x answers")
     * @param probe computes the current value; an exception counts as "not yet"
     * @param done whether the value is the awaited one
     * @param <T> the value type
     * @return the first value that is done
     * @throws AssertionError when the deadline passes
     */
    static <T> T until(String what, Callable<T> probe, Predicate<? super T> done) {
        return until(what, DEADLINE, probe, done);
    }

    /** {@link #until(String, Callable, Predicate)} with a deadline of its own. */
    static <T> T until(String what, Duration deadline, Callable<T> probe, Predicate<? super T> done) {
        long end = System.nanoTime() + deadline.toNanos();
        T last = null;
        Exception failure = null;
        while (true) {
            try {
                last = probe.call();
                failure = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (Exception e) {
                failure = e;
            }
            if (System.nanoTime() - end > 0) {
                AssertionError error = new AssertionError("Timed out after " + deadline.toMillis() + " ms waiting until "
                        + what + "; last " + (failure != null ? "failure: " + failure : "value: " + last));
                if (failure != null) {
                    error.initCause(failure);
                }
                throw error;
            }
            try {
                Thread.sleep(PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what, e);
            }
        }
    }

    /** Waits until a boolean condition holds. */
    static void until(String what, Callable<Boolean> condition) {
        until(what, DEADLINE, condition, Boolean.TRUE::equals);
    }
}
