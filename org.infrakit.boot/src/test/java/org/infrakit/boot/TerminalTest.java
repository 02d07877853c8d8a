package org.infrakit.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTest {

    @Test
    void terminalDevicesAreRecognised() {
        assertThat(Terminal.isTerminalDevice("/dev/pts/3")).isTrue();
        assertThat(Terminal.isTerminalDevice("/dev/tty1")).isTrue();
        assertThat(Terminal.isTerminalDevice("/dev/ttys004")).isTrue();
        assertThat(Terminal.isTerminalDevice("/dev/console")).isTrue();
    }

    @Test
    void pipesFilesAndNullAreNotTerminals() {
        assertThat(Terminal.isTerminalDevice("/dev/null")).isFalse();
        assertThat(Terminal.isTerminalDevice("pipe:[123456]")).isFalse();
        assertThat(Terminal.isTerminalDevice("socket:[99]")).isFalse();
        assertThat(Terminal.isTerminalDevice("/home/me/input.txt")).isFalse();
    }
}
