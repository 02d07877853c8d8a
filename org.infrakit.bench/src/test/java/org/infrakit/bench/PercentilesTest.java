package org.infrakit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRank() {
        long[] hundred = LongStream.rangeClosed(1, 100).toArray();
        assertThat(Percentiles.of(hundred, 50)).isEqualTo(50);
        assertThat(Percentiles.of(hundred, 99)).isEqualTo(99);
        assertThat(Percentiles.of(hundred, 100)).isEqualTo(100);
        assertThat(Percentiles.of(hundred, 0.5)).isEqualTo(1);
        assertThat(Percentiles.of(new long[] {10, 20, 30}, 50)).isEqualTo(20);
        assertThat(Percentiles.of(new long[] {7}, 99)).isEqualTo(7);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Percentiles.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(Percentiles.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(Percentiles.min(new double[] {4, 1, 3})).isEqualTo(1);
        assertThat(Percentiles.max(new double[] {4, 1, 3})).isEqualTo(4);
    }

    @Test
    void medianLeavesItsInputAlone() {
        double[] samples = {3, 1, 2};
        Percentiles.median(samples);
        assertThat(samples).containsExactly(3, 1, 2);
    }

    @Test
    void noSamplesOrABadPercentileIsRefused() {
        assertThatThrownBy(() -> Percentiles.of(new long[0], 50)).hasMessage("no samples");
        assertThatThrownBy(() -> Percentiles.median(new double[0])).hasMessage("no samples");
        assertThatThrownBy(() -> Percentiles.of(new long[] {1}, 0)).hasMessage("percentile out of range: 0.0");
        assertThatThrownBy(() -> Percentiles.of(new long[] {1}, 101)).hasMessage("percentile out of range: 101.0");
    }
}
