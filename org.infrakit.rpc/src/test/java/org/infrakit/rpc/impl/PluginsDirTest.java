package org.infrakit.rpc.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.infrakit.spi.InfrakitPaths;
import org.junit.jupiter.api.Test;

/** The bridge's plugins directory: configuration, else the runtime's paths (properties, environment, home). */
class PluginsDirTest {
    private static final Map<String, String> NONE = Map.of();

    @Test
    void aConfiguredDirectoryWinsOverEverything() {
        Map<String, String> props = Map.of(InfrakitPaths.PLUGINS_DIR_PROPERTY, "/prop/p");
        assertThat(PluginsDir.resolve("/conf/p", props::get, Map.of("INFRAKIT_PLUGINS_DIR", "/env/p"), "/u"))
                .isEqualTo(Path.of("/conf/p"));
    }

    @Test
    void frameworkPropertiesComeBeforeTheEnvironment() {
        Map<String, String> env = Map.of("INFRAKIT_PLUGINS_DIR", "/env/p", "INFRAKIT_HOME", "/env/h");
        assertThat(PluginsDir.resolve("", Map.of(InfrakitPaths.PLUGINS_DIR_PROPERTY, "/prop/p")::get, env, "/u"))
                .isEqualTo(Path.of("/prop/p"));
        assertThat(PluginsDir.resolve(null, Map.of(InfrakitPaths.HOME_PROPERTY, "/prop/h")::get,
                Map.of("INFRAKIT_HOME", "/env/h"), "/u")).isEqualTo(Path.of("/prop/h/plugins"));
    }

    @Test
    void theEnvironmentThenTheUsersHome() {
        assertThat(PluginsDir.resolve(" ", NONE::get, Map.of("INFRAKIT_PLUGINS_DIR", "/env/p", "INFRAKIT_HOME", "/h"),
                "/u")).isEqualTo(Path.of("/env/p"));
        assertThat(PluginsDir.resolve("", NONE::get, Map.of("INFRAKIT_HOME", "/env/h"), "/u"))
                .isEqualTo(Path.of("/env/h/plugins"));
        assertThat(PluginsDir.resolve("", NONE::get, NONE, "/u")).isEqualTo(Path.of("/u/.infrakit/plugins"));
    }
}
