package org.infrakit.launch.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

    @ParameterizedTest
    @CsvSource({
        "10s, PT10S",
        "500ms, PT0.5S",
        "1m30s, PT1M30S",
        "1.5h, PT1H30M",
        "2h45m, PT2H45M",
        "0, PT0S",
        "-1s, PT-1S",
        "+3s, PT3S",
        "1us, PT0.000001S",
        "1µs, PT0.000001S",
        "7ns, PT0.000000007S",
        ".5s, PT0.5S",
        "' 10s ', PT10S",
    })
    void parsesGoDurations(String text, String iso) {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "10 s", "s", "1.2.3s", "10sec", "1d", "-", ".s", "ten seconds", "99999999999h"})
    void refusesWhatGoRefuses(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + text + "\"");
    }

    @ParameterizedTest
    @CsvSource({"PT0S, 0s", "PT0.25S, 250ms", "PT10S, 10s", "PT1M30S, 1m30s", "PT1H, 1h0m0s", "PT1.5S, 1.5s",
        "PT0.000002S, 2µs"})
    void formatsForMessages(String iso, String text) {
        assertThat(GoDuration.format(Duration.parse(iso))).isEqualTo(text);
    }
}
