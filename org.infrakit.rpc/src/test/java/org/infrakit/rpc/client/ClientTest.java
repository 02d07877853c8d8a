package org.infrakit.rpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.infrakit.rpc.impl.server.PluginObjects;
import org.infrakit.rpc.impl.server.PluginSocketServer;
import org.infrakit.rpc.impl.server.ServerSettings;
import org.infrakit.rpc.impl.server.ServerThreads;
import org.infrakit.rpc.impl.testing.FakeFlavorPlugin;
import org.infrakit.rpc.impl.testing.FakeGroupPlugin;
import org.infrakit.rpc.impl.testing.FakeInstancePlugin;
import org.infrakit.rpc.impl.testing.ForeignPluginServer;
import org.infrakit.rpc.impl.testing.TestDirs;
import org.infrakit.spi.Allocation;
import org.infrakit.spi.DestroyContext;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.Health;
import org.infrakit.spi.Index;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.InterfaceSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceException;

class ClientTest {
    private Path dir;
    private ServerThreads threads;
    private ScheduledExecutorService timer;

    @BeforeEach
    void setUp() {
        dir = TestDirs.shortTempDir();
        threads = new ServerThreads("test-srv");
        timer = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void tearDown() {
        threads.close();
        timer.shutdownNow();
        TestDirs.deleteTree(dir);
    }

    private JsonRpcClient client(Path socket, long timeoutMs) {
        return new JsonRpcClient(socket, timeoutMs, timer, false);
    }

    @Test
    void proxiesRoundTripThroughOurServer() throws Exception {
        try (PluginSocketServer s = PluginSocketServer.start("p", dir,
                PluginObjects.of(new FakeGroupPlugin(), Map.of("", new FakeInstancePlugin("i"), "x", new FakeInstancePlugin("x")),
                        Map.of("", new FakeFlavorPlugin("f"))),
                ServerSettings.DEFAULTS, "rt-1", threads); JsonRpcClient rpc = client(s.socket(), 5000)) {
            GroupPluginProxy group = new GroupPluginProxy(rpc);
            assertThat(group.inspectGroups()).isEmpty();
            assertThat(group.commitGroup(new GroupSpec("g", RawJson.of("{\"a\": 1.0}")), false)).isEqualTo("Managing 0 instances");
            assertThat(group.inspectGroups()).containsExactly(new GroupSpec("g", RawJson.of("{\"a\":1.0}")));
            assertThat(group.describeGroup("g").converged()).isTrue();
            group.freeGroup("g");
            assertThatThrownBy(() -> group.destroyGroup("g")).isInstanceOf(PluginException.class)
                    .hasMessage("Group 'g' is not being watched");
            assertThatThrownBy(() -> group.commitGroup(new GroupSpec("", null), false))
                    .isInstanceOf(PluginException.class).hasMessage("Group ID must not be blank");

            InstancePluginProxy typed = new InstancePluginProxy(rpc, "x");
            InstancePluginProxy plain = new InstancePluginProxy(rpc, "");
            String id = typed.provision(InstanceSpec.of(null, Map.of("t", "1"), "", null, null));
            assertThat(id).isEqualTo("x-1");
            typed.label(id, Map.of("u", "2"));
            assertThat(typed.describeInstances(Map.of("t", "1"), false))
                    .containsExactly(InstanceDescription.of("x-1", null, Map.of("t", "1", "u", "2"), null));
            assertThat(plain.describeInstances(null, false)).isEmpty();
            typed.destroy(id, DestroyContext.TERMINATING);
            assertThatThrownBy(() -> typed.destroy(id, DestroyContext.TERMINATING)).hasMessage("no instance x-1");
            assertThatThrownBy(() -> new InstancePluginProxy(rpc, "nope").validate(null)).hasMessage("no-plugin:nope");
            plain.validate(RawJson.of("{}"));

            FlavorPluginProxy flavor = new FlavorPluginProxy(rpc, "");
            flavor.validate(null, Allocation.ofSize(1));
            assertThatThrownBy(() -> flavor.validate(null, Allocation.ofSize(0))).hasMessage("no allocation");
            assertThat(flavor.prepare(null, InstanceSpec.of(null, null, "", null, null), Allocation.ofSize(1),
                    new Index("g", 0)).tags()).containsEntry("flavor", "f");
            assertThat(flavor.healthy(null, InstanceDescription.of("a", null, null, null))).isEqualTo(Health.HEALTHY);
            flavor.drain(null, InstanceDescription.of("a", null, null, null));
        }
    }

    @Test
    void theHandshakeReportsInterfacesTypesAndTheRuntime() throws Exception {
        try (PluginSocketServer s = PluginSocketServer.start("p", dir,
                PluginObjects.of(null, Map.of("", new FakeInstancePlugin("i"), "x", new FakeInstancePlugin("x")), null),
                ServerSettings.DEFAULTS, "rt-7", threads); JsonRpcClient rpc = client(s.socket(), 5000)) {
            PluginHandshake.Offer offer = PluginHandshake.run(rpc);
            assertThat(offer.interfaces()).containsExactly(InterfaceSpec.INSTANCE);
            assertThat(offer.types()).containsEntry(InterfaceSpec.INSTANCE, List.of("", "x"));
            assertThat(offer.runtimeId()).isEqualTo("rt-7");
        }
    }

    @Test
    void theHandshakeFallsBackToPluginImplements() throws Exception {
        try (ForeignPluginServer old = new ForeignPluginServer(dir.resolve("old"));
                JsonRpcClient rpc = client(old.socket(), 5000)) {
            old.result("Plugin.Implements", "{\"Interfaces\":[{\"Name\":\"Flavor\",\"Version\":\"0.1.0\"}]}");
            PluginHandshake.Offer offer = PluginHandshake.run(rpc);
            assertThat(offer.method()).isEqualTo("Plugin.Implements");
            assertThat(offer.interfaces()).containsExactly(InterfaceSpec.FLAVOR);
            assertThat(offer.runtimeId()).isNull();
            assertThat(old.methodsCalled()).containsExactly("Handshake.Implements", "Plugin.Implements");
            // the same with the -32601 this project answers
            old.error("Handshake.Implements", "{\"code\":-32601,\"message\":\"rpc: can't find service\",\"data\":null}");
            assertThat(PluginHandshake.run(rpc).method()).isEqualTo("Plugin.Implements");
        }
    }

    @Test
    void chunkedAndCloseDelimitedRepliesAreRead() throws Exception {
        String big = "x".repeat(5000);
        try (ForeignPluginServer go = new ForeignPluginServer(dir.resolve("go"));
                JsonRpcClient rpc = client(go.socket(), 5000)) {
            go.result("Group.CommitGroup", "{\"Details\":\"" + big + "\"}").mode(ForeignPluginServer.Mode.CHUNKED);
            GroupPluginProxy group = new GroupPluginProxy(rpc);
            assertThat(group.commitGroup(new GroupSpec("g", null), false)).isEqualTo(big);
            assertThat(group.commitGroup(new GroupSpec("g", null), false)).isEqualTo(big);
            assertThat(go.connections()).as("the connection was kept alive").isEqualTo(1);
            go.mode(ForeignPluginServer.Mode.CLOSE_AFTER_REPLY);
            // the kept-alive connection serves one more call and is closed by the server
            assertThat(group.commitGroup(new GroupSpec("g", null), false)).isEqualTo(big);
            assertThat(group.commitGroup(new GroupSpec("g", null), false)).isEqualTo(big);
            assertThat(group.commitGroup(new GroupSpec("g", null), false)).isEqualTo(big);
            assertThat(go.connections()).isEqualTo(3);
        }
    }

    @Test
    void aKeptAliveConnectionClosedByTheServerIsReplacedTransparently() throws Exception {
        try (ForeignPluginServer go = new ForeignPluginServer(dir.resolve("go"));
                JsonRpcClient rpc = client(go.socket(), 5000)) {
            go.result("Group.InspectGroups", "{\"Groups\":null}");
            GroupPluginProxy group = new GroupPluginProxy(rpc);
            assertThat(group.inspectGroups()).isEmpty();
            go.dropConnections();
            Thread.sleep(50);
            assertThat(group.inspectGroups()).isEmpty();
            assertThat(go.methodsCalled()).hasSize(2);
        }
    }

    @Test
    void aSilentServerTimesOutWithAClearTransportError() throws Exception {
        try (ForeignPluginServer hung = new ForeignPluginServer(dir.resolve("hung"));
                JsonRpcClient rpc = client(hung.socket(), 300)) {
            hung.mode(ForeignPluginServer.Mode.SILENT);
            long start = System.nanoTime();
            assertThatThrownBy(() -> new GroupPluginProxy(rpc).inspectGroups())
                    .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.getType()).isEqualTo(ServiceException.REMOTE))
                    .hasMessage("Plugin socket " + hung.socket() + " did not answer Group.InspectGroups within 300 ms");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(250L, 3000L);
        }
    }

    @Test
    void aStaleOrMissingSocketIsATransportError() throws Exception {
        Path stale = dir.resolve("stale");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(stale));
        }
        try (JsonRpcClient rpc = client(stale, 1000)) {
            assertThatThrownBy(() -> new GroupPluginProxy(rpc).inspectGroups()).isInstanceOf(ServiceException.class)
                    .hasMessage("Plugin socket " + stale + " refused the connection for Group.InspectGroups (is the plugin running?)");
        }
        Path missing = dir.resolve("missing");
        try (JsonRpcClient rpc = client(missing, 1000)) {
            assertThatThrownBy(() -> new GroupPluginProxy(rpc).inspectGroups()).isInstanceOf(ServiceException.class)
                    .hasMessage("Calling Group.InspectGroups on plugin socket " + missing
                            + " failed: the socket file does not exist");
        }
    }

    @Test
    void answersThatAreNotJsonRpcAreTransportErrors() throws Exception {
        try (ForeignPluginServer odd = new ForeignPluginServer(dir.resolve("odd"));
                JsonRpcClient rpc = client(odd.socket(), 1000)) {
            odd.result("Group.InspectGroups", "null");
            assertThatThrownBy(() -> new GroupPluginProxy(rpc).inspectGroups()).isInstanceOf(ServiceException.class)
                    .hasMessageContaining("without a result");
            odd.result("Group.InspectGroups", "{\"Groups\":5}");
            assertThatThrownBy(() -> new GroupPluginProxy(rpc).inspectGroups()).isInstanceOf(ServiceException.class)
                    .hasMessageContaining("a result this runtime cannot read: Groups must be an array");
            odd.error("Group.InspectGroups", "\"plain text error\"");
            assertThatThrownBy(() -> new GroupPluginProxy(rpc).inspectGroups()).isInstanceOf(PluginException.class)
                    .hasMessage("\"plain text error\"");
        }
    }

    @Test
    void aClosedClientRefusesCalls() throws IOException {
        JsonRpcClient rpc = client(dir.resolve("x"), 1000);
        rpc.close();
        assertThatThrownBy(() -> new GroupPluginProxy(rpc).inspectGroups()).isInstanceOf(ServiceException.class)
                .hasMessageContaining("no longer imported");
    }

    @Test
    void theCallTimeoutIsTheConfigurationElseInfrakitClientTimeoutElseTheDefault() {
        assertThat(ClientTimeout.millis(2000L, Map.of("INFRAKIT_CLIENT_TIMEOUT", "5s"), 30_000)).isEqualTo(2000);
        assertThat(ClientTimeout.millis(0L, Map.of("INFRAKIT_CLIENT_TIMEOUT", "5s"), 30_000)).isEqualTo(5000);
        assertThat(ClientTimeout.millis(null, Map.of("INFRAKIT_CLIENT_TIMEOUT", "1m30s"), 30_000)).isEqualTo(90_000);
        assertThat(ClientTimeout.millis(null, Map.of("INFRAKIT_CLIENT_TIMEOUT", " 1.5s "), 30_000)).isEqualTo(1500);
        assertThat(ClientTimeout.millis(null, Map.of("INFRAKIT_CLIENT_TIMEOUT", "soon"), 30_000)).isEqualTo(30_000);
        assertThat(ClientTimeout.millis(null, Map.of("INFRAKIT_CLIENT_TIMEOUT", "5"), 30_000)).isEqualTo(30_000);
        assertThat(ClientTimeout.millis(null, Map.of("INFRAKIT_CLIENT_TIMEOUT", "-2s"), 30_000)).isEqualTo(30_000);
        assertThat(ClientTimeout.millis(null, Map.of(), 30_000)).isEqualTo(30_000);
        assertThat(ClientTimeout.millis(null, Map.of(), 0)).isEqualTo(1);
    }
}
