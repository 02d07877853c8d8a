package org.infrakit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginsDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void theDirectoryIsFoundAsTheGoCliFindsIt() {
        assertThat(PluginsDirectory.resolve(Map.of("INFRAKIT_PLUGINS_DIR", "/a/p", "INFRAKIT_HOME", "/h"), "/u"))
                .isEqualTo(Path.of("/a/p"));
        assertThat(PluginsDirectory.resolve(Map.of("INFRAKIT_PLUGINS_DIR", "", "INFRAKIT_HOME", "/h"), "/u"))
                .isEqualTo(Path.of("/h/plugins"));
        assertThat(PluginsDirectory.resolve(Map.of(), "/u")).isEqualTo(Path.of("/u/.infrakit/plugins"));
        assertThat(PluginsDirectory.resolve(Map.of("INFRAKIT_PLUGINS_DIR", "rel"), "/u"))
                .isEqualTo(Path.of("rel").toAbsolutePath());
    }

    @Test
    void onlySocketsArePlugins() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "ikd");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                ServerSocketChannel t = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(dir.resolve("group")));
            t.bind(UnixDomainSocketAddress.of(dir.resolve("b-flavor")));
            Files.writeString(dir.resolve("group.pid"), "42");
            Files.createDirectory(dir.resolve("sub"));
            Files.createSymbolicLink(dir.resolve("link"), dir.resolve("group"));

            assertThat(PluginsDirectory.socketNames(dir)).containsExactly("b-flavor", "group");
            assertThat(PluginsDirectory.isSocket(dir.resolve("link"))).isFalse();
            assertThat(PluginsDirectory.socketNames(dir.resolve("missing"))).isEmpty();
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.delete(dir);
        }
    }
}
