package org.infrakit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.assertj.core.api.Assertions;
import org.infrakit.group.impl.ExecutorScheduler;
import org.infrakit.group.impl.GroupEngine;
import org.infrakit.group.impl.PluginLookup;
import org.infrakit.rpc.client.FlavorPluginProxy;
import org.infrakit.rpc.client.InstancePluginProxy;
import org.infrakit.rpc.client.JsonRpcClient;
import org.infrakit.rpc.impl.PluginKind;
import org.infrakit.rpc.impl.PluginsDir;
import org.infrakit.rpc.impl.server.PluginExporter;
import org.infrakit.rpc.impl.server.ServerSettings;
import org.infrakit.rpc.impl.server.ServerThreads;
import org.infrakit.rpc.impl.server.SocketFiles;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.PluginProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Socket files left behind by a process that died are replaced when the plugins are served
 * again; a socket a live process answers on is never taken; and a group managed through the
 * replaced sockets converges.
 */
class StaleSocketTest {
    private Path root;
    private PluginHost host;

    @AfterEach
    void tearDown() {
        if (host != null) {
            host.close();
        }
        TempDirs.delete(root);
    }

    /** Binds a socket file and closes the server without removing it: what a killed process leaves. */
    static void leaveStaleSocket(Path path) throws Exception {
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(path));
        }
        assertThat(SocketFiles.isSocket(path)).isTrue();
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            Assertions.assertThatThrownBy(() -> c.connect(UnixDomainSocketAddress.of(path)))
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void staleSocketFilesAreReplacedAndTheGroupConvergesThroughThem() throws Exception {
        root = TempDirs.create();
        Path plugins = PluginsDir.ensure(root.resolve("plugins"));
        java.util.List<String> keys = java.util.List.of(PluginHost.GROUP, PluginHost.INSTANCE, PluginHost.FLAVOR);
        for (String name : keys) {
            leaveStaleSocket(plugins.resolve(name));
        }

        host = new PluginHost(root, ServerSettings.DEFAULTS, InstancePluginFaultsTest.FAST, false, p -> p);
        for (String name : keys) {
            // (the inode number says nothing: the file system hands the freed one out again)
            assertThat(host.exporter.serves(name)).as(name).isTrue();
            Replies.assertServes(host.socket(name));
        }

        // a second runtime manages a group through the sockets, as an importer's proxies would
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(PluginHost.named("rel-remote"));
        java.util.concurrent.ExecutorService workers = Executors.newCachedThreadPool(PluginHost.named("rel-remote-worker"));
        try (JsonRpcClient instanceRpc = new JsonRpcClient(host.socket(PluginHost.INSTANCE), 10_000, timers, false);
                JsonRpcClient flavorRpc = new JsonRpcClient(host.socket(PluginHost.FLAVOR), 10_000, timers, false)) {
            GroupEngine remote = new GroupEngine(PluginLookup.of(
                    Map.of(PluginHost.INSTANCE, new InstancePluginProxy(instanceRpc, "")),
                    Map.of(PluginHost.FLAVOR, new FlavorPluginProxy(flavorRpc, ""))),
                    new ExecutorScheduler(timers), workers, InstancePluginFaultsTest.FAST, null);
            try {
                GroupSpec spec = Specs.cattle("through-sockets", 3, PluginHost.INSTANCE, "v1");
                remote.commitGroup(spec, false);
                new Convergence(host.instanceDir, remote, "through-sockets").await(3, Specs.hash(spec),
                        Duration.ofSeconds(30), Duration.ofMillis(500));
            } finally {
                remote.close();
            }
        } finally {
            workers.shutdownNow();
            timers.shutdownNow();
        }
    }

    @Test
    void aLiveSocketIsNeverTakenAndItsNameIsServedOnceItDies() throws Exception {
        root = TempDirs.create();
        Path plugins = PluginsDir.ensure(root.resolve("plugins"));
        Path live = plugins.resolve("instance-live");
        ServerThreads threads = new ServerThreads(PluginHost.RPC_THREADS);
        try (PluginExporter exporter = new PluginExporter(plugins, ServerSettings.DEFAULTS, "test", threads)) {
            try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                other.bind(UnixDomainSocketAddress.of(live)); // listening: connections are queued, so it answers
                exporter.add("svc", PluginKind.FLAVOR, new org.infrakit.flavor.vanilla.impl.VanillaFlavor(),
                        Map.of(PluginProperties.NAME, "instance-live"));
                assertThat(exporter.serves("instance-live")).isFalse();
                assertThat(exporter.exported()).singleElement().satisfies(e -> assertThat(e.problem())
                        .contains("another live process").contains(plugins.toString()));
                // the live socket is left alone: a new connection still reaches the other process
                try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    c.connect(UnixDomainSocketAddress.of(live));
                    try (SocketChannel accepted = other.accept()) {
                        assertThat(accepted).isNotNull();
                    }
                }
            }
            // the other process is gone; its file stays behind
            assertThat(Files.exists(live)).isTrue();
            exporter.retry();
            assertThat(exporter.serves("instance-live")).isTrue();
            Replies.assertServes(live);

            // a file that is not a socket is never removed
            Path notSocket = plugins.resolve("flavor-file");
            Files.writeString(notSocket, "keep me");
            exporter.add("svc2", PluginKind.FLAVOR, new org.infrakit.flavor.vanilla.impl.VanillaFlavor(),
                    Map.of(PluginProperties.NAME, "flavor-file"));
            assertThat(exporter.serves("flavor-file")).isFalse();
            assertThat(Files.readString(notSocket)).isEqualTo("keep me");
        } finally {
            threads.close();
        }
    }
}
