package org.infrakit.shell.verbs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VerbResultTest {
    @Test
    void aFailureAlwaysHasOneLine() {
        VerbResult r = VerbResult.failure(VerbResult.FAILED, " a\n\tb \r\n c ");

        assertThat(r.error()).isEqualTo("a b c");
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).isEqualTo("a b c");
        assertThat(VerbResult.failure(VerbResult.FAILED, null).error()).isEqualTo("failed");
    }

    @Test
    void aSuccessHasNoError() {
        assertThat(VerbResult.success(null).output()).isEmpty();
        assertThat(VerbResult.success("x\n").message()).isEqualTo("x\n");
        assertThatThrownBy(() -> new VerbResult(VerbResult.OK, "", "e", null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
