package org.infrakit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SeriesTest {

    @Test
    void theExponentOfEachStepDecidesTheVerdict() {
        Series s = new Series("Describe", "instances", Unit.MILLIS, new long[] {1_000, 10_000, 100_000},
                new double[] {2, 20, 400});
        assertThat(s.exponents()).containsExactly(new double[] {1.0, Math.log10(20)}, within(1e-9));
        assertThat(s.linearOrBetter()).isFalse();
        assertThat(s.verdict()).isEqualTo("**worse than linear** (×10.0 for ×10, ×20.0 for ×10)");
    }

    @Test
    void sublinearAndSlightlyNoisyLinearGrowthPass() {
        assertThat(new Series("Pass", "instances", Unit.MILLIS, new long[] {1_000, 10_000}, new double[] {10, 30})
                .verdict()).isEqualTo("linear or better (×3.0 for ×10)");
        // 13× for 10× is within the allowance of size^1.15 (14.1×)
        assertThat(new Series("Noisy", "instances", Unit.MILLIS, new long[] {1_000, 10_000}, new double[] {1, 13})
                .linearOrBetter()).isTrue();
        assertThat(new Series("Steep", "instances", Unit.MILLIS, new long[] {1_000, 10_000}, new double[] {1, 15})
                .linearOrBetter()).isFalse();
    }

    @Test
    void sizesMustGrowAndMatchTheValues() {
        assertThatThrownBy(() -> new Series("X", "instances", Unit.MILLIS, new long[] {10, 10}, new double[] {1, 2}))
                .hasMessage("X: sizes must grow");
        assertThatThrownBy(() -> new Series("X", "instances", Unit.MILLIS, new long[] {10}, new double[] {1}))
                .hasMessage("X: needs a value for each of at least two sizes");
    }
}
