package org.infrakit.reliability;

import java.time.Duration;
import java.util.function.Supplier;

/** Waiting for a condition with short sleeps, failing with the last reason when time is up. */
final class Poll {
    private Poll() {
    }

    /**
     * @param timeout how long to wait
     * @param check {@code null} when the condition holds, else why not (for the failure message)
     * @param what what is awaited, for the failure message
     */
    static void until(Duration timeout, Supplier<String> check, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String why;
        while (true) {
            try {
                why = check.get();
            } catch (RuntimeException e) {
                why = e.toString();
            }
            if (why == null) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for " + what + ": "
                        + why);
            }
            sleep(25);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
