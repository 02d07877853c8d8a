package org.infrakit.rpc.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.infrakit.rpc.impl.testing.LogCapture;
import org.infrakit.rpc.impl.testing.TestDirs;
import org.infrakit.spi.InfrakitPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Level;

/**
 * The bridge's plugins directory: configuration, else the runtime's paths (properties, environment,
 * home); and its permissions (discovery.md §1, departures D4).
 */
class PluginsDirTest {
    private static final Map<String, String> NONE = Map.of();

    private Path root;

    @BeforeEach
    void setUp() {
        root = TestDirs.shortTempDir();
    }

    @AfterEach
    void tearDown() {
        TestDirs.deleteTree(root);
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static Path withMode(Path dir, String mode) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
        return dir;
    }

    private static int uid(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

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

    @Test
    void everyLevelItCreatesIs0700AndExistingParentsAreLeftAlone() throws IOException {
        withMode(root, "rwxr-xr-x");
        try (LogCapture log = new LogCapture(PluginsDir.class)) {
            Path dir = PluginsDir.ensure(root.resolve("home/.infrakit/plugins"));
            assertThat(mode(dir)).isEqualTo("rwx------");
            assertThat(mode(dir.getParent())).isEqualTo("rwx------");
            assertThat(mode(dir.getParent().getParent())).isEqualTo("rwx------");
            assertThat(mode(root)).as("a parent that existed").isEqualTo("rwxr-xr-x");
            assertThat(log.events()).as("nothing to report about a directory it made").isEmpty();
        }
    }

    @Test
    void anExistingDirectoryOfOursIsTightenedTo0700WithOneWarning() throws IOException {
        Path dir = withMode(root.resolve("plugins"), "rwxr-x--x");
        try (LogCapture log = new LogCapture(PluginsDir.class)) {
            assertThat(PluginsDir.ensure(dir)).isEqualTo(dir);
            assertThat(mode(dir)).isEqualTo("rwx------");
            assertThat(log.events()).singleElement().satisfies(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage()).contains(dir.toString()).contains("0751 (rwxr-x--x)")
                        .contains("0700 (rwx------)");
            });
            // once private, it stays quiet
            PluginsDir.ensure(dir);
            assertThat(log.events()).hasSize(1);
        }
    }

    @Test
    void aDirectoryOwnedBySomeoneElseIsNeverChangedOnlyReported() throws IOException {
        Path dir = withMode(root.resolve("plugins"), "rwxrwxr-x");
        int ours = uid(dir);
        try (LogCapture log = new LogCapture(PluginsDir.class)) {
            // as a process running as another uid sees it
            PluginsDir.ensure(dir, ours + 1);
            assertThat(mode(dir)).isEqualTo("rwxrwxr-x");
            assertThat(log.events()).singleElement().satisfies(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage()).contains(dir.toString()).contains("0775 (rwxrwxr-x)")
                        .contains("uid " + ours + ", not to this process (uid " + (ours + 1) + ")")
                        .contains("left as it is");
            });
        }
    }

    @Test
    void aDirectoryChownedToAnotherUserIsLeftAloneEvenByRoot() throws IOException {
        assumeTrue("0".equals(String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))), "runs as root");
        Path dir = withMode(root.resolve("plugins"), "rwxr-xr-x");
        Files.setAttribute(dir, "unix:uid", 65534);
        try (LogCapture log = new LogCapture(PluginsDir.class)) {
            PluginsDir.ensure(dir);
            assertThat(mode(dir)).isEqualTo("rwxr-xr-x");
            assertThat(uid(dir)).isEqualTo(65534);
            assertThat(log.messages()).singleElement().asString().contains("belongs to uid 65534")
                    .contains("left as it is");
        }
    }

    @Test
    void aFileInTheWayIsAnError() throws IOException {
        Path file = Files.writeString(root.resolve("plugins"), "x");
        assertThatThrownBy(() -> PluginsDir.ensure(file))
                .isInstanceOf(IOException.class).hasMessage("Plugin dir " + file + " is a file");
    }
}
