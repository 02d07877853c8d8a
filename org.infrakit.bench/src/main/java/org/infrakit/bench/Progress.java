package org.infrakit.bench;

import java.util.Locale;

/** Progress lines on standard error, with the time since the run started. */
final class Progress {
    private static final long START = System.nanoTime();

    private Progress() {
    }

    /** @param line what is happening */
    static void say(String line) {
        System.err.printf(Locale.ROOT, "[bench %6.1fs] %s%n", (System.nanoTime() - START) / 1e9, line);
    }
}
