package org.infrakit.reliability;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import org.infrakit.flavor.vanilla.impl.VanillaFlavor;
import org.infrakit.group.impl.EngineOptions;
import org.infrakit.group.impl.ExecutorScheduler;
import org.infrakit.group.impl.GroupEngine;
import org.infrakit.group.impl.PluginRegistry;
import org.infrakit.group.impl.SpecStore;
import org.infrakit.instance.file.impl.FileInstancePlugin;
import org.infrakit.rpc.impl.PluginKind;
import org.infrakit.rpc.impl.PluginsDir;
import org.infrakit.rpc.impl.server.PluginExporter;
import org.infrakit.rpc.impl.server.ServerSettings;
import org.infrakit.rpc.impl.server.ServerThreads;
import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginProperties;

/**
 * The runtime's three default plugins wired as the bundles wire them, without a framework: the
 * file instance plugin and the vanilla flavor in a {@link PluginRegistry} (what the group
 * component's references feed), the group engine over that registry, and all three served by the
 * real {@link PluginExporter} on sockets in {@code <root>/plugins} (created 0700).
 *
 * <p>Thread names: Jetty's pool {@value #RPC_THREADS}-N (bounded), the group engine's timer and
 * workers {@code rel-group-*}.
 */
final class PluginHost implements AutoCloseable {
    static final String RPC_THREADS = "rel-rpc";
    static final String GROUP = "group";
    static final String INSTANCE = "instance-file";
    static final String FLAVOR = "flavor-vanilla";

    final Path root;
    final Path pluginsDir;
    final Path instanceDir;
    final Path stateDir;
    final String runtimeId = "reliability-" + UUID.randomUUID();
    final ServerThreads threads = new ServerThreads(RPC_THREADS);
    final PluginExporter exporter;
    final FileInstancePlugin files;
    final InstancePlugin instancePlugin;
    final VanillaFlavor vanilla = new VanillaFlavor();
    final PluginRegistry registry = new PluginRegistry();
    final ScheduledExecutorService timers;
    final ExecutorService workers;
    final GroupEngine engine;

    /**
     * @param root the directory holding {@code plugins/}, {@code instances/} and {@code groups/}
     * @param settings how sockets are served
     * @param options the group engine's tuning
     * @param persistent whether committed specs are stored in {@code groups/}
     * @param decorate wraps the file instance plugin (faults, delays); identity for none
     */
    PluginHost(Path root, ServerSettings settings, EngineOptions options, boolean persistent,
            UnaryOperator<InstancePlugin> decorate) throws Exception {
        this.root = root;
        this.pluginsDir = PluginsDir.ensure(root.resolve("plugins"));
        this.instanceDir = root.resolve("instances");
        this.stateDir = root.resolve("groups");
        this.files = new FileInstancePlugin(INSTANCE, instanceDir);
        this.instancePlugin = decorate.apply(files);
        registry.add(InstancePlugin.class, instancePlugin, Map.of(PluginProperties.NAME, INSTANCE));
        registry.add(FlavorPlugin.class, vanilla, Map.of(PluginProperties.NAME, FLAVOR));
        timers = Executors.newSingleThreadScheduledExecutor(named("rel-group-timer"));
        // as the group component's: no queue, so a pass never waits behind another task
        workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 1, TimeUnit.SECONDS, new SynchronousQueue<>(),
                named("rel-group-worker"));
        engine = new GroupEngine(registry, new ExecutorScheduler(timers), workers, options,
                persistent ? new SpecStore(stateDir) : null);
        registry.addListener(engine::pluginsChanged);
        engine.start();
        exporter = new PluginExporter(pluginsDir, settings, runtimeId, threads);
        exporter.add("group-service", PluginKind.GROUP, engine, Map.of(PluginProperties.NAME, GROUP));
        exporter.add("instance-service", PluginKind.INSTANCE, instancePlugin, Map.of(PluginProperties.NAME, INSTANCE));
        exporter.add("flavor-service", PluginKind.FLAVOR, vanilla, Map.of(PluginProperties.NAME, FLAVOR));
        for (String name : new String[] {GROUP, INSTANCE, FLAVOR}) {
            if (!exporter.serves(name)) {
                close();
                throw new PluginException("plugin " + name + " is not served: " + exporter.exported());
            }
        }
    }

    /** @param name a plugin name @return its socket */
    Path socket(String name) {
        return pluginsDir.resolve(name);
    }

    static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Closes everything in reverse order: sockets, their threads, the engine, its threads, the plugin. */
    @Override
    public void close() {
        exporter.close();
        threads.close();
        engine.close();
        workers.shutdownNow();
        timers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
            timers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        files.close();
    }
}
