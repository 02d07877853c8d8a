package org.infrakit.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

    @ParameterizedTest
    @CsvSource({
        "10s,10000000000", "500ms,500000000", "1m30s,90000000000", "1.5h,5400000000000", "300us,300000",
        "1µs,1000", "2ns,2", "0,0", "-1s,-1000000000", "+2m,120000000000", ".5s,500000000", "1.s,1000000000",
        "1h2m3.5s,3723500000000"
    })
    void parsesGoDurations(String text, long nanos) {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "s", ".s", "-", "1.2.3s"})
    void refusesWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("time: ");
    }

    @ParameterizedTest
    @CsvSource({"10,time: missing unit in duration \"10\"", "1x,time: unknown unit \"x\" in duration \"1x\""})
    void namesTheProblem(String text, String message) {
        assertThatThrownBy(() -> GoDuration.parse(text)).hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource({"10s,10s", "500ms,500ms", "1m30s,1m30s", "1h,1h0m0s", "1.5s,1.5s", "0,0s", "1us,1µs"})
    void formatsAsGo(String text, String formatted) {
        assertThat(GoDuration.format(GoDuration.parse(text))).isEqualTo(formatted);
    }
}
