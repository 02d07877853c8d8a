package org.infrakit.launch.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RestartBudgetTest {
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Duration INITIAL = Duration.ofMillis(500);
    private static final Duration CEILING = Duration.ofSeconds(3);
    private final Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
    private final RestartBudget budget = new RestartBudget();

    private Duration next(long secondsAfterT0, int max) {
        return budget.next(t0.plusSeconds(secondsAfterT0), max, WINDOW, INITIAL, CEILING);
    }

    @Test
    void backoffDoublesUpToTheCeiling() {
        assertThat(next(0, 10)).isEqualTo(Duration.ofMillis(500));
        assertThat(next(1, 10)).isEqualTo(Duration.ofSeconds(1));
        assertThat(next(2, 10)).isEqualTo(Duration.ofSeconds(2));
        assertThat(next(3, 10)).isEqualTo(Duration.ofSeconds(3));
        assertThat(next(4, 10)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void theBudgetIsNRestartsWithinASlidingWindow() {
        assertThat(next(0, 3)).isNotNull();
        assertThat(next(10, 3)).isNotNull();
        assertThat(next(20, 3)).isNotNull();
        assertThat(next(30, 3)).isNull();
        assertThat(budget.used(t0.plusSeconds(30), WINDOW)).isEqualTo(3);
        // the first restart leaves the window at 60s
        assertThat(next(59, 3)).isNull();
        assertThat(next(61, 3)).isNotNull();
        assertThat(budget.used(t0.plusSeconds(61), WINDOW)).isEqualTo(3);
    }

    @Test
    void zeroMeansNeverRestart() {
        assertThat(next(0, 0)).isNull();
    }

    @Test
    void resetStartsTheBackoffOverAndClearForgetsTheRestarts() {
        next(0, 10);
        next(1, 10);
        budget.resetBackoff();
        assertThat(next(2, 10)).isEqualTo(INITIAL);
        next(3, 3);
        assertThat(next(4, 3)).isNull();
        budget.clear();
        assertThat(next(5, 3)).isEqualTo(INITIAL);
    }
}
