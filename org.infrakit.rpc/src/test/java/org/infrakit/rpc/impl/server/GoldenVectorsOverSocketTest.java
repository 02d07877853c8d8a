package org.infrakit.rpc.impl.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.infrakit.rpc.impl.testing.FakeFlavorPlugin;
import org.infrakit.rpc.impl.testing.FakeGroupPlugin;
import org.infrakit.rpc.impl.testing.FakeInstancePlugin;
import org.infrakit.rpc.impl.testing.RawHttp;
import org.infrakit.rpc.impl.testing.TestDirs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Replays every envelope, handshake, {@code Plugin.Implements} and HTTP golden vector (and the
 * group vectors an empty default group plugin answers) against real sockets served by
 * {@link PluginSocketServer}, with an independent raw HTTP client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GoldenVectorsOverSocketTest {
    private static final String RUNTIME = "test-runtime-1";
    /** Group vectors that hold for a fresh default group plugin (the others need instances). */
    private static final List<String> EMPTY_GROUP_VECTORS = List.of("group.InspectGroups.empty",
            "group.CommitGroup.blank-id", "group.FreeGroup.not-watched", "group.DescribeGroup.not-watched",
            "group.DestroyGroup.not-watched");

    private Path dir;
    private ServerThreads threads;
    private final List<PluginSocketServer> servers = new ArrayList<>();

    @BeforeAll
    void serve() throws IOException {
        dir = TestDirs.shortTempDir();
        threads = new ServerThreads("test-rpc");
        servers.add(PluginSocketServer.start("group", dir, PluginObjects.ofGroup(new FakeGroupPlugin()),
                ServerSettings.DEFAULTS, RUNTIME, threads));
        servers.add(PluginSocketServer.start("instance-file", dir,
                PluginObjects.of(null, Map.of("", new FakeInstancePlugin("instance")), null), ServerSettings.DEFAULTS,
                RUNTIME, threads));
        servers.add(PluginSocketServer.start("flavor-vanilla", dir,
                PluginObjects.of(null, null, Map.of("", new FakeFlavorPlugin("vanilla"))), ServerSettings.DEFAULTS,
                RUNTIME, threads));
    }

    @AfterAll
    void stop() {
        servers.forEach(PluginSocketServer::close);
        threads.close();
        TestDirs.deleteTree(dir);
    }

    private static List<Path> vectors() throws IOException {
        try (Stream<Path> files = Files.list(TestDirs.goldenDir())) {
            return files.filter(p -> {
                String f = p.getFileName().toString();
                if (!f.contains(".re")) {
                    return false;
                }
                String stem = f.substring(0, f.indexOf(".re"));
                boolean request = f.endsWith(".request.json") || f.equals("http.get-root.response.txt");
                return request && (f.startsWith("envelope.") || f.startsWith("handshake.") || f.startsWith("plugin.")
                        || f.startsWith("http.") || EMPTY_GROUP_VECTORS.contains(stem));
            }).sorted().toList();
        }
    }

    @Test
    void allTransportVectorsAreReplayed() throws IOException {
        // 14 envelope + 5 handshake + 1 plugin + 4 http + 5 group: a vector silently skipped is a defect
        assertThat(vectors()).hasSize(29);
    }

    @TestFactory
    Stream<DynamicTest> goldenVectors() throws IOException {
        return vectors().stream().map(p -> {
            String f = p.getFileName().toString();
            String stem = f.substring(0, f.indexOf(".re"));
            return DynamicTest.dynamicTest(stem, () -> replay(stem));
        });
    }

    private void replay(String stem) throws IOException {
        Path golden = TestDirs.goldenDir();
        String target = stem.startsWith("handshake.") ? stem.substring(stem.lastIndexOf('.') + 1) : "group";
        Path socket = dir.resolve(target);
        Path requestFile = golden.resolve(stem + ".request.json");
        byte[] request = Files.exists(requestFile) ? Files.readAllBytes(requestFile) : null;
        RawHttp.Reply reply = switch (stem) {
            case "http.get-root" -> RawHttp.exchange(socket, "GET", "/", null, null);
            case "http.wrong-content-type" -> RawHttp.exchange(socket, "POST", "/", "text/plain", request);
            case "http.no-content-type" -> RawHttp.exchange(socket, "POST", "/", null, request);
            case "http.unknown-path" -> RawHttp.exchange(socket, "POST", "/rpc", "application/json", request);
            default -> RawHttp.exchange(socket, "POST", "/", "application/json", request);
        };
        Path json = golden.resolve(stem + ".response.json");
        Path text = golden.resolve(stem + ".response.txt");
        String expected = Files.readString(Files.exists(json) ? json : text, StandardCharsets.UTF_8);
        int status = switch (stem) {
            case "http.get-root" -> 405;
            case "http.wrong-content-type" -> 415;
            case "http.unknown-path" -> 404;
            default -> 200;
        };
        assertThat(reply.status()).as("status of %s", stem).isEqualTo(status);
        assertThat(reply.text()).as("body of %s", stem).isEqualTo(expected);
        assertThat(reply.headers()).containsEntry("infrakit-runtime", RUNTIME);
        if (Files.exists(json)) {
            assertThat(reply.headers()).containsEntry("content-type", "application/json");
        }
    }
}
