package org.infrakit.launch.impl;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * How often a plugin may be restarted: at most {@code max} restarts within a sliding window, each
 * after a back-off that doubles with every consecutive failure up to a ceiling. The back-off
 * starts over once the plugin has stayed up for a whole window. Not thread-safe (it lives on its
 * supervisor's thread).
 */
final class RestartBudget {
    private final ArrayDeque<Instant> restarts = new ArrayDeque<>();
    private int consecutive;

    /**
     * Takes one restart from the budget.
     *
     * @param now the current time
     * @param max the most restarts allowed within the window
     * @param window the window
     * @param initial the first back-off
     * @param ceiling the longest back-off
     * @return the delay before the restart, or {@code null} when the budget is spent
     */
    Duration next(Instant now, int max, Duration window, Duration initial, Duration ceiling) {
        Instant since = now.minus(window);
        while (!restarts.isEmpty() && !restarts.peekFirst().isAfter(since)) {
            restarts.removeFirst();
        }
        if (restarts.size() >= max) {
            return null;
        }
        Duration delay = initial;
        for (int i = 0; i < consecutive && delay.compareTo(ceiling) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        if (delay.compareTo(ceiling) > 0) {
            delay = ceiling;
        }
        consecutive++;
        restarts.addLast(now);
        return delay;
    }

    /** The plugin stayed up long enough: the next failure starts the back-off over. */
    void resetBackoff() {
        consecutive = 0;
    }

    /** Forgets everything (the descriptor changed). */
    void clear() {
        restarts.clear();
        consecutive = 0;
    }

    /** @param now the current time @param window the window @return restarts within the window */
    int used(Instant now, Duration window) {
        Instant since = now.minus(window);
        return (int) restarts.stream().filter(t -> t.isAfter(since)).count();
    }
}
