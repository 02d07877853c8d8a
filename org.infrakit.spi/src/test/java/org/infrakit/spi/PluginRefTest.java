package org.infrakit.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PluginRefTest {
    @Test
    void splitsAtTheFirstSlash() {
        assertThat(PluginRef.parse("instance-file")).isEqualTo(new PluginRef("instance-file", ""));
        assertThat(PluginRef.parse("instance-file/json")).isEqualTo(new PluginRef("instance-file", "json"));
        assertThat(PluginRef.parse("instance-file/text/html")).isEqualTo(new PluginRef("instance-file", "text/html"));
        assertThat(PluginRef.parse("/x")).isEqualTo(new PluginRef("", "x"));
        assertThat(PluginRef.parse("a/b").toString()).isEqualTo("a/b");
    }

    @Test
    void namesThatEscapeTheDirectoryAreRefused() {
        for (String bad : new String[] {"", ".", "..", "a..b", "..x", "a/b", "a\u0000b", "x".repeat(101)}) {
            assertThatThrownBy(() -> PluginRef.validateName(bad)).isInstanceOf(PluginException.class);
        }
        assertThat(PluginRef.nameProblem("instance-file-b")).isNull();
        assertThat(PluginRef.nameProblem("..")).contains("..");
    }

    @Test
    void controlCharactersAreRefusedC1AsC0() {
        for (char c : new char[] {'\u0000', '\u001f', '\u007f', '\u0080', '\u0085', '\u009f'}) {
            assertThat(PluginRef.nameProblem("a" + c + "b")).as("U+%04X", (int) c).contains("control characters");
        }
        assertThat(PluginRef.nameProblem("a\u00a0b")).as("U+00A0 is no control character").isNull();
        assertThat(PluginRef.nameProblem("stra\u00dfe")).isNull();
    }

    @Test
    void tagFiltersTreatMissingKeysAsEmpty() {
        var tags = java.util.Map.of("a", "1");
        assertThat(Tags.matches(tags, java.util.Map.of("a", "1"))).isTrue();
        assertThat(Tags.matches(tags, java.util.Map.of("a", "2"))).isFalse();
        assertThat(Tags.matches(tags, java.util.Map.of("b", ""))).isTrue();
        assertThat(Tags.matches(null, null)).isTrue();
    }

    @Test
    void pathsFollowThePropertyThenTheEnvironmentThenTheUsersHome() {
        java.util.Map<String, String> none = java.util.Map.of();
        var p = InfrakitPaths.resolve(k -> null, none, "/home/u");
        assertThat(p.home()).isEqualTo(java.nio.file.Path.of("/home/u/.infrakit"));
        assertThat(p.pluginsDir()).isEqualTo(java.nio.file.Path.of("/home/u/.infrakit/plugins"));
        var env = InfrakitPaths.resolve(k -> null, java.util.Map.of("INFRAKIT_HOME", "/ih"), "/home/u");
        assertThat(env.instances()).isEqualTo(java.nio.file.Path.of("/ih/instances"));
        var both = InfrakitPaths.resolve(k -> k.equals(InfrakitPaths.HOME_PROPERTY) ? "/prop" : null,
                java.util.Map.of("INFRAKIT_HOME", "/ih", "INFRAKIT_PLUGINS_DIR", "/pd"), "/home/u");
        assertThat(both.home()).isEqualTo(java.nio.file.Path.of("/prop"));
        assertThat(both.pluginsDir()).isEqualTo(java.nio.file.Path.of("/pd"));
        assertThat(both.groups()).isEqualTo(java.nio.file.Path.of("/prop/groups"));
    }
}
