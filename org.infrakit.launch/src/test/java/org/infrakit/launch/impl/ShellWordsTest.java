package org.infrakit.launch.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShellWordsTest {

    @Test
    void splitsAtBlanks() {
        assertThat(ShellWords.split("  infrakit-instance-file\t--dir /tmp/f  --log 5 ")).containsExactly(
                "infrakit-instance-file", "--dir", "/tmp/f", "--log", "5");
        assertThat(ShellWords.split("   ")).isEmpty();
    }

    @Test
    void quotesKeepBlanksAndAreRemoved() {
        assertThat(ShellWords.split("python3 '/opt/my plugins/x.py' --msg \"hello world\"")).containsExactly(
                "python3", "/opt/my plugins/x.py", "--msg", "hello world");
        assertThat(ShellWords.split("--a='x y'z \"\" ''")).containsExactly("--a=x yz", "", "");
    }

    @Test
    void singleQuotesAreLiteralAndDoubleQuotesEscapeOnlyTheShellCharacters() {
        assertThat(ShellWords.split("'a\\b \"c\"'")).containsExactly("a\\b \"c\"");
        assertThat(ShellWords.split("\"a\\\"b \\\\ \\$x \\n\"")).containsExactly("a\"b \\ $x \\n");
        assertThat(ShellWords.split("a\\ b c\\'d")).containsExactly("a b", "c'd");
    }

    @Test
    void expandsNothing() {
        assertThat(ShellWords.split("echo $HOME *.txt > out | cat ~")).containsExactly(
                "echo", "$HOME", "*.txt", ">", "out", "|", "cat", "~");
    }

    @Test
    void refusesUnbalancedQuotes() {
        assertThatThrownBy(() -> ShellWords.split("python3 'x.py")).hasMessageContaining("unterminated single quote");
        assertThatThrownBy(() -> ShellWords.split("python3 \"x.py")).hasMessageContaining("unterminated double quote");
        assertThatThrownBy(() -> ShellWords.split("python3 x\\")).hasMessageContaining("ends in a backslash");
    }
}
