package org.infrakit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.infrakit.flavor.vanilla.impl.VanillaFlavor;
import org.infrakit.rpc.impl.server.PluginObjects;
import org.infrakit.rpc.impl.server.PluginSocketServer;
import org.infrakit.rpc.impl.server.ServerSettings;
import org.infrakit.rpc.impl.server.ServerThreads;
import org.junit.jupiter.api.Test;

/** The load client as the benchmark runs it: a process of its own, against the bridge's real socket server. */
class LoadClientTest {

    @Test
    void callsOverKeptAliveConnectionsFromAProcessOfItsOwn() throws Exception {
        try (ScratchDir scratch = new ScratchDir("ikbench-loadclient");
                ServerThreads threads = new ServerThreads("bench-test");
                PluginSocketServer server = PluginSocketServer.start("flavor-test", scratch.dir("plugins"),
                        PluginObjects.of(null, null, Map.of("", new VanillaFlavor())), ServerSettings.DEFAULTS,
                        "bench-test", threads);
                LoadClientProcess client = LoadClientProcess.start()) {
            Path socket = server.socket();
            LoadClientProcess.Load one = client.run(socket, "Handshake.Implements", "{}", 1, 50, "\"Name\":");
            assertThat(one.calls()).isEqualTo(50);
            assertThat(one.count()).isEqualTo(1);
            assertThat(one.bytes()).isPositive();
            assertThat(one.p50Nanos()).isPositive().isLessThanOrEqualTo(one.p99Nanos());
            assertThat(one.callsPerSecond()).isPositive();

            LoadClientProcess.Load many = client.run(socket, "Handshake.Implements", "{}", 3, 20, null);
            assertThat(many.calls()).isEqualTo(60);
            assertThat(many.count()).isEqualTo(-1);

            assertThatThrownBy(() -> client.run(socket, "Flavor.NoSuchMethod", "{}", 1, 1, null))
                    .hasMessageStartingWith("Flavor.NoSuchMethod over flavor-test: IOException: HTTP 200, not a "
                            + "JSON-RPC result: {")
                    .hasMessageContaining("\"error\"");
            // the client is still there after a failed load
            assertThat(client.run(socket, "Handshake.Implements", "{}", 1, 1, null).calls()).isEqualTo(1);
        }
    }
}
