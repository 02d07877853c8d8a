package org.infrakit.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class ConsoleModeTest {

    @Test
    void autoFollowsTheTerminal() {
        assertThat(ConsoleMode.decide(null, null, () -> true)).isEqualTo(ConsoleMode.SHELL);
        assertThat(ConsoleMode.decide(null, null, () -> false)).isEqualTo(ConsoleMode.HEADLESS);
        assertThat(ConsoleMode.decide(null, " Auto ", () -> false)).isEqualTo(ConsoleMode.HEADLESS);
        assertThat(ConsoleMode.decide(null, "", () -> true)).isEqualTo(ConsoleMode.SHELL);
    }

    @Test
    void anExplicitModeWinsOverTheTerminal() {
        AtomicInteger asked = new AtomicInteger();
        assertThat(ConsoleMode.decide(null, "headless", () -> asked.incrementAndGet() > 0))
                .isEqualTo(ConsoleMode.HEADLESS);
        assertThat(ConsoleMode.decide(null, "SHELL", () -> asked.incrementAndGet() < 0)).isEqualTo(ConsoleMode.SHELL);
        assertThat(asked).hasValue(0);
    }

    @Test
    void explicitGoshArgsWinOverEverything() {
        assertThat(ConsoleMode.decide("--nointeractive --noshutdown", "shell", () -> true))
                .isEqualTo(ConsoleMode.HEADLESS);
        assertThat(ConsoleMode.decide("", "headless", () -> false)).isEqualTo(ConsoleMode.SHELL);
    }

    @Test
    void aWrongValueIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> ConsoleMode.decide(null, "yes", () -> true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid infrakit.console \"yes\": use shell, headless or auto");
    }
}
