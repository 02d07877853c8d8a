package org.infrakit.rpc.impl.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

import org.infrakit.rpc.ExportedPlugin;
import org.infrakit.rpc.impl.PluginKind;
import org.infrakit.rpc.impl.PluginsDir;
import org.infrakit.rpc.impl.testing.FakeFlavorPlugin;
import org.infrakit.rpc.impl.testing.FakeGroupPlugin;
import org.infrakit.rpc.impl.testing.FakeInstancePlugin;
import org.infrakit.rpc.impl.testing.LogCapture;
import org.infrakit.rpc.impl.testing.RawHttp;
import org.infrakit.rpc.impl.testing.TestDirs;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PluginExporterTest {
    private Path dir;
    private ServerThreads threads;
    private PluginExporter exporter;

    @BeforeEach
    void setUp() throws IOException {
        dir = PluginsDir.ensure(TestDirs.shortTempDir().resolve("p"));
        threads = new ServerThreads("test-export");
        exporter = new PluginExporter(dir, ServerSettings.DEFAULTS, "rt", threads);
    }

    @AfterEach
    void tearDown() {
        exporter.close();
        threads.close();
        TestDirs.deleteTree(dir.getParent());
    }

    private static Map<String, Object> props(long id, String name, String type) {
        return type == null ? Map.of("service.id", id, PluginProperties.NAME, name)
                : Map.of("service.id", id, PluginProperties.NAME, name, PluginProperties.TYPE, type);
    }

    private static String rpc(Path socket, String method, String params) throws IOException {
        return RawHttp.post(socket, "{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":" + params + ",\"id\":1}")
                .text();
    }

    private static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void typedServicesOfOneNameShareASocket() throws IOException {
        exporter.add(1L, PluginKind.INSTANCE, new FakeInstancePlugin("a"), props(1, "instance-x", null));
        exporter.add(2L, PluginKind.INSTANCE, new FakeInstancePlugin("b"), props(2, "instance-x", "b"));
        exporter.add(3L, PluginKind.FLAVOR, new FakeFlavorPlugin("f"), props(3, "instance-x", "f"));
        Path socket = dir.resolve("instance-x");
        assertThat(rpc(socket, "Handshake.Types", "{}")).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":{\"Types\":"
                + "{\"Flavor/0.1.0\":[\"f\"],\"Instance/0.6.0\":[\".\",\"b\"]}},\"id\":1}\n");
        assertThat(rpc(socket, "Instance.Provision", "{\"Type\":\"b\"}")).contains("\"ID\":\"b-1\"");
        assertThat(exporter.exported()).containsExactly(new ExportedPlugin("instance-x", socket,
                java.util.List.of("Flavor/0.1.0 [f]", "Instance/0.6.0 [., b]"), null));
        assertThat(exporter.serves("instance-x")).isTrue();

        exporter.remove(2L);
        assertThat(rpc(socket, "Instance.Provision", "{\"Type\":\"b\"}")).contains("no-plugin:b");
        exporter.remove(1L);
        exporter.remove(3L);
        assertThat(exists(socket)).as("the last service took the socket with it").isFalse();
        assertThat(exporter.exported()).isEmpty();
        assertThat(exporter.serves("instance-x")).isFalse();
    }

    @Test
    void theFirstServiceKeepsTheNameAndTheSecondTakesOver() throws IOException {
        FakeGroupPlugin second = new FakeGroupPlugin();
        try {
            second.commitGroup(new GroupSpec("from-second", null), false);
        } catch (PluginException e) {
            throw new AssertionError(e);
        }
        exporter.add(1L, PluginKind.GROUP, new FakeGroupPlugin(), props(1, "group", null));
        try (LogCapture log = new LogCapture(PluginExporter.class)) {
            exporter.add(2L, PluginKind.GROUP, second, props(2, "group", null));
            assertThat(log.messages()).singleElement().asString()
                    .contains("service 2").contains("'group'").contains("service 1").contains("takes over");
        }
        Path socket = dir.resolve("group");
        assertThat(rpc(socket, "Group.InspectGroups", "{}")).contains("\"Groups\":null");
        assertThat(exporter.notExported()).singleElement().satisfies(p -> assertThat(p.reason()).contains("waits"));

        Object inode = SocketFiles.fileKey(socket);
        exporter.remove(1L);
        assertThat(rpc(socket, "Group.InspectGroups", "{}")).contains("from-second");
        assertThat(SocketFiles.fileKey(socket)).as("the socket stayed open").isEqualTo(inode);
        assertThat(exporter.notExported()).isEmpty();
    }

    @Test
    void aNameTooLongForTheSocketPathIsRefusedUpFrontNamingTheLimit() throws IOException {
        int room = SocketFiles.MAX_PATH_BYTES - (dir.toAbsolutePath() + "/").length();
        String fits = "f".repeat(room);
        String tooLong = "t".repeat(room + 1);
        try (LogCapture log = new LogCapture(PluginExporter.class)) {
            exporter.add(1L, PluginKind.GROUP, new FakeGroupPlugin(), props(1, tooLong, null));
            assertThat(log.messages()).singleElement().asString().contains("Not serving service 1")
                    .contains("plugin name '" + tooLong + "' is too long")
                    .contains("may have at most " + SocketFiles.MAX_PATH_BYTES + " here");
            exporter.retry();
            assertThat(log.messages()).as("said once").hasSize(1);
        }
        try (var files = Files.list(dir)) {
            assertThat(files).as("no socket at a cut-short path").isEmpty();
        }
        assertThat(exporter.notExported()).singleElement().extracting(p -> p.name()).isEqualTo(tooLong);

        exporter.add(2L, PluginKind.GROUP, new FakeGroupPlugin(), props(2, fits, null));
        assertThat(rpc(dir.resolve(fits), "Group.InspectGroups", "{}")).contains("\"Groups\":null");
    }

    @Test
    void aServiceWithoutANameIsSaidOnceNotToBeServed() {
        try (LogCapture log = new LogCapture(PluginExporter.class)) {
            exporter.add(1L, PluginKind.FLAVOR, new FakeFlavorPlugin("f"), Map.of("service.id", 1L,
                    "component.name", "my.Flavor"));
            exporter.retry();
            assertThat(log.messages()).singleElement().asString()
                    .isEqualTo("Not serving service 1 (my.Flavor): it has no infrakit.plugin.name property, the name"
                            + " its socket would have");
        }
        assertThat(exporter.notExported()).hasSize(1);
        assertThat(exporter.exported()).isEmpty();
    }

    @Test
    void theHigherRankingServesTheNameAndTheOtherTakesOverWhenItGoes() throws IOException {
        FakeGroupPlugin ranked = new FakeGroupPlugin();
        try {
            ranked.commitGroup(new GroupSpec("from-ranked", null), false);
        } catch (PluginException e) {
            throw new AssertionError(e);
        }
        exporter.add(1L, PluginKind.GROUP, new FakeGroupPlugin(), props(1, "group", null));
        Path socket = dir.resolve("group");
        assertThat(rpc(socket, "Group.InspectGroups", "{}")).contains("\"Groups\":null");
        try (LogCapture log = new LogCapture(PluginExporter.class)) {
            exporter.add(2L, PluginKind.GROUP, ranked,
                    Map.of("service.id", 2L, PluginProperties.NAME, "group", "service.ranking", 5));
            assertThat(log.messages()).singleElement().asString()
                    .contains("service 2").contains("takes over").contains("service 1");
        }
        assertThat(rpc(socket, "Group.InspectGroups", "{}")).as("the later but higher-ranked service serves")
                .contains("from-ranked");
        assertThat(exporter.notExported()).singleElement()
                .satisfies(p -> assertThat(p.reason()).contains("service 1").contains("waits"));

        exporter.remove(2L);
        assertThat(rpc(socket, "Group.InspectGroups", "{}")).contains("\"Groups\":null");
        assertThat(exporter.notExported()).isEmpty();
        exporter.remove(1L);
        assertThat(exists(socket)).isFalse();
    }

    @Test
    void invalidNamesAreRefusedWithALogLine() {
        try (LogCapture log = new LogCapture(PluginExporter.class)) {
            exporter.add(1L, PluginKind.GROUP, new FakeGroupPlugin(), props(1, "../evil", null));
            exporter.add(2L, PluginKind.GROUP, new FakeGroupPlugin(), props(2, "", null));
            exporter.add(3L, PluginKind.GROUP, new FakeGroupPlugin(), Map.of("service.id", 3L, PluginProperties.NAME, 5));
            exporter.add(4L, PluginKind.GROUP, new FakeGroupPlugin(), props(4, "a/b", null));
            exporter.add(5L, PluginKind.GROUP, new FakeGroupPlugin(), props(5, "a..b", null));
            assertThat(log.messages()).hasSize(5);
            assertThat(log.messages().get(0)).contains("Not serving service 1").contains("must not be '.' or contain '..'");
            assertThat(log.messages().get(3)).contains("Not serving service 4").contains("must not contain '/'");
            assertThat(log.messages().get(4)).contains("Not serving service 5").contains("contain '..'");
        }
        assertThat(exporter.notExported()).hasSize(5);
        assertThat(exporter.exported()).isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        exporter.remove(1L);
        assertThat(exporter.notExported()).hasSize(4);
    }

    @Test
    void aNameHeldByALiveProcessIsReportedAndRetried() throws IOException {
        ServerThreads otherThreads = new ServerThreads("other");
        PluginSocketServer foreign = PluginSocketServer.start("group", dir, PluginObjects.ofGroup(new FakeGroupPlugin()),
                ServerSettings.DEFAULTS, "other-runtime", otherThreads);
        try {
            exporter.add(1L, PluginKind.GROUP, new FakeGroupPlugin(), props(1, "group", null));
            assertThat(exporter.exported()).singleElement().satisfies(e -> assertThat(e.problem())
                    .contains("another live process already serves that name").contains(dir.toString()));
            assertThat(exporter.serves("group")).isFalse();
            exporter.retry();
            assertThat(exporter.serves("group")).isFalse();
        } finally {
            foreign.close();
            otherThreads.close();
        }
        exporter.retry();
        assertThat(exporter.serves("group")).isTrue();
        assertThat(RawHttp.post(dir.resolve("group"), "{\"jsonrpc\":\"2.0\",\"method\":\"Group.InspectGroups\",\"id\":1}")
                .headers()).containsEntry("infrakit-runtime", "rt");
    }

    @Test
    void aRenamedServiceMoves() throws IOException {
        exporter.add(1L, PluginKind.GROUP, new FakeGroupPlugin(), props(1, "one", null));
        assertThat(exists(dir.resolve("one"))).isTrue();
        exporter.modify(1L, PluginKind.GROUP, new FakeGroupPlugin(), props(1, "one", null));
        assertThat(exists(dir.resolve("one"))).isTrue();
        exporter.modify(1L, PluginKind.GROUP, new FakeGroupPlugin(), props(1, "two", null));
        assertThat(exists(dir.resolve("one"))).isFalse();
        assertThat(exists(dir.resolve("two"))).isTrue();
    }

    @Test
    void closingRemovesEverySocket() {
        exporter.add(1L, PluginKind.GROUP, new FakeGroupPlugin(), props(1, "group", null));
        exporter.add(2L, PluginKind.INSTANCE, new FakeInstancePlugin("i"), props(2, "instance-file", null));
        assertThat(exists(dir.resolve("group"))).isTrue();
        exporter.close();
        assertThat(exists(dir.resolve("group"))).isFalse();
        assertThat(exists(dir.resolve("instance-file"))).isFalse();
        exporter.add(3L, PluginKind.GROUP, new FakeGroupPlugin(), props(3, "late", null));
        assertThat(exists(dir.resolve("late"))).as("nothing is served after close").isFalse();
    }
}
