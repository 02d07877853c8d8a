package org.infrakit.diagnostics.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class KeyHintTest {
    private static final List<String> GROUP =
            List.of("poll.interval", "update.poll.interval", "parallelism", "state.dir");

    @Test
    void aMemberNameWithUnderscoresIsItsDottedKey() {
        assertThat(KeyHint.nearest("poll_interval", GROUP)).isEqualTo("poll.interval");
        assertThat(KeyHint.nearest("update_poll_interval", GROUP)).isEqualTo("update.poll.interval");
    }

    @Test
    void caseSeparatorsAndSmallTyposFindTheKey() {
        assertThat(KeyHint.nearest("Poll-Interval", GROUP)).isEqualTo("poll.interval");
        assertThat(KeyHint.nearest("pol.interval", GROUP)).isEqualTo("poll.interval");
        assertThat(KeyHint.nearest("paralelism", GROUP)).isEqualTo("parallelism");
        assertThat(KeyHint.nearest("nme", List.of("name", "dir"))).isEqualTo("name");
        assertThat(KeyHint.nearest("statedir", GROUP)).isEqualTo("state.dir");
    }

    @Test
    void nothingCloseIsNoSuggestion() {
        assertThat(KeyHint.nearest("colour", GROUP)).isNull();
        assertThat(KeyHint.nearest("x", List.of())).isNull();
    }

    @Test
    void distanceCountsSingleEdits() {
        assertThat(KeyHint.distance("", "abc")).isEqualTo(3);
        assertThat(KeyHint.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(KeyHint.distance("same", "same")).isZero();
    }
}
