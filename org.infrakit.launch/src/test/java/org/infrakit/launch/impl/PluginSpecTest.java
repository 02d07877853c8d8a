package org.infrakit.launch.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.infrakit.spi.PluginException;
import org.junit.jupiter.api.Test;

class PluginSpecTest {

    private static PluginSpec spec(Object... keyValues) throws PluginException {
        Map<String, Object> m = new HashMap<>();
        m.put("name", "instance-file");
        m.put("command", "infrakit-instance-file --dir '/tmp/my files' --log 5");
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return PluginSpec.from(Configs.of(LaunchConfig.class, m));
    }

    @Test
    void defaults() throws Exception {
        PluginSpec s = spec();
        assertThat(s.name()).isEqualTo("instance-file");
        assertThat(s.command()).containsExactly("infrakit-instance-file", "--dir", "/tmp/my files", "--log", "5");
        assertThat(s.directory()).isNull();
        assertThat(s.environment()).isEmpty();
        assertThat(s.startTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.maxRestarts()).isEqualTo(5);
        assertThat(s.restartWindow()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.backoffInitial()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.backoffMax()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.stopGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.detachable()).isFalse();
    }

    @Test
    void everyMember() throws Exception {
        PluginSpec s = spec("directory", "/srv/x", "environment", "A=1 'B=two words' C=", "start_timeout", "2s",
                "max_restarts", 2, "restart_window", "30s", "backoff_initial", "100ms", "backoff_max", "1s",
                "stop_grace", "0", "detachable", true);
        assertThat(s.directory()).isEqualTo(Path.of("/srv/x"));
        assertThat(s.environment()).containsExactly(Map.entry("A", "1"), Map.entry("B", "two words"), Map.entry("C", ""));
        assertThat(s.startTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.maxRestarts()).isEqualTo(2);
        assertThat(s.restartWindow()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.backoffInitial()).isEqualTo(Duration.ofMillis(100));
        assertThat(s.backoffMax()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.stopGrace()).isZero();
        assertThat(s.detachable()).isTrue();
    }

    @Test
    void severalValuesAreTakenAsTheyAre() throws Exception {
        // a fully typed .cfg file: command = ["python3", "my plugin.py"]
        PluginSpec s = spec("command", new String[] {"python3", "my plugin.py"}, "environment",
                new String[] {"A=x y", "B='q'"});
        assertThat(s.command()).containsExactly("python3", "my plugin.py");
        assertThat(s.environment()).containsExactly(Map.entry("A", "x y"), Map.entry("B", "'q'"));
    }

    @Test
    void aQuotedProgramIsShellQuotingNotTypedSyntax() throws Exception {
        assertThat(spec("command", "\"/opt/my plugin/bin\"").command()).containsExactly("/opt/my plugin/bin");
    }

    @Test
    void typedSyntaxInAMixedFileIsExplained() {
        assertThatThrownBy(() -> spec("command", "[\"python3\", \"x.py\"]"))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("external plugin 'instance-file': command is [\"python3\", \"x.py\"]")
                .hasMessageContaining("typed values only when every value in the .cfg file is typed");
        assertThatThrownBy(() -> spec("start_timeout", "\"10s\"")).hasMessageContaining("start.timeout is \"10s\"");
        assertThatThrownBy(() -> spec("name", "\"x\"")).hasMessageContaining("name is \"x\"");
    }

    @Test
    void badNamesAreRefusedWithTheSpiWording() {
        assertThatThrownBy(() -> spec("name", "a/b")).hasMessage(
                "external plugin descriptor: plugin name 'a/b' must not contain '/'");
        assertThatThrownBy(() -> spec("name", "..")).hasMessageContaining("'..' must not be '.' or contain '..'");
        assertThatThrownBy(() -> spec("name", null)).hasMessageContaining("must not be empty");
    }

    @Test
    void badMembersNameThePluginAndTheMember() {
        assertThatThrownBy(() -> spec("command", null)).hasMessage(
                "external plugin 'instance-file': command is empty: set command to the program and its arguments");
        assertThatThrownBy(() -> spec("command", "  ")).hasMessageContaining("command is empty");
        assertThatThrownBy(() -> spec("command", "x 'y")).hasMessageContaining("command: unterminated single quote");
        assertThatThrownBy(() -> spec("environment", "NOEQUALS")).hasMessageContaining(
                "environment entry 'NOEQUALS' is not KEY=VALUE");
        assertThatThrownBy(() -> spec("environment", "=x")).hasMessageContaining("is not KEY=VALUE");
        assertThatThrownBy(() -> spec("environment", "INFRAKIT_PLUGINS_DIR=/x")).hasMessageContaining(
                "environment must not set INFRAKIT_PLUGINS_DIR");
        assertThatThrownBy(() -> spec("start_timeout", "10")).hasMessageContaining(
                "start.timeout: time: missing unit in duration \"10\" (write it like 500ms, 10s, 1m30s or 1h)");
        assertThatThrownBy(() -> spec("start_timeout", "0s")).hasMessageContaining("start.timeout must be longer than 0s");
        assertThatThrownBy(() -> spec("stop_grace", "-1s")).hasMessageContaining("stop.grace must not be negative");
        assertThatThrownBy(() -> spec("max_restarts", -1)).hasMessageContaining("max.restarts must not be negative");
        assertThatThrownBy(() -> spec("backoff_initial", "2s", "backoff_max", "1s")).hasMessageContaining(
                "backoff.max (1s) is shorter than backoff.initial (2s)");
    }

    @Test
    void sameProcessIgnoresOnlySupervisionSettings() throws Exception {
        PluginSpec a = spec();
        assertThat(a.sameProcess(spec("max_restarts", 9, "stop_grace", "1s", "start_timeout", "1m"))).isTrue();
        assertThat(a.sameProcess(spec("command", "other"))).isFalse();
        assertThat(a.sameProcess(spec("environment", "A=1"))).isFalse();
        assertThat(a.sameProcess(spec("directory", "/x"))).isFalse();
        assertThat(a.sameProcess(spec("detachable", true))).isFalse();
        assertThat(a.sameProcess(spec("name", "other"))).isFalse();
        assertThat(List.of(a.command())).isNotEmpty();
    }
}
