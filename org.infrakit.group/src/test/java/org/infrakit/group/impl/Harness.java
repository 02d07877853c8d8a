package org.infrakit.group.impl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.PluginProperties;
import org.infrakit.spi.RawJson;

/**
 * A group engine on virtual time with fake plugins ({@code instance-test}, {@code flavor-test}).
 * With the default direct executor every pass runs on the test's thread when the clock is advanced.
 */
final class Harness implements AutoCloseable {
    static final Duration POLL = Duration.ofSeconds(10);

    final ManualScheduler clock = new ManualScheduler();
    final PluginRegistry plugins = new PluginRegistry();
    final FakeInstancePlugin instances = new FakeInstancePlugin("inst-", clock::nanoTime);
    final FakeFlavorPlugin flavor = new FakeFlavorPlugin();
    /** The calls of both fake plugins, in the order they were made. */
    private final List<String> journal = Collections.synchronizedList(new ArrayList<>());
    private final EngineOptions options;
    private final SpecStore store;
    private final Executor executor;
    GroupEngine engine;

    Harness() {
        this(EngineOptions.withPollInterval(POLL), null);
    }

    Harness(EngineOptions options, SpecStore store) {
        this(options, store, Runnable::run);
    }

    Harness(EngineOptions options, SpecStore store, Executor executor) {
        this.options = options;
        this.store = store;
        this.executor = executor;
        instances.journal = journal;
        flavor.journal = journal;
        register(instances, "instance-test");
        register(flavor, "flavor-test");
        plugins.addListener(() -> engine.pluginsChanged());
        engine = newEngine();
    }

    private GroupEngine newEngine() {
        GroupEngine e = new GroupEngine(plugins, clock, executor, options, store);
        e.start();
        return e;
    }

    /** Stops the engine and starts a new one on the same plugins and store, as a restart does. */
    void restart() {
        engine.close();
        engine = newEngine();
    }

    void register(Object plugin, String name) {
        Class<?> kind = plugin instanceof InstancePlugin ? InstancePlugin.class : FlavorPlugin.class;
        plugins.add(kind, plugin, Map.of(PluginProperties.NAME, name));
    }

    void unregister(Object plugin) {
        Class<?> kind = plugin instanceof InstancePlugin ? InstancePlugin.class : FlavorPlugin.class;
        plugins.remove(kind, plugin);
    }

    /** Runs what is due now. */
    void settle() {
        clock.runDue();
    }

    void advance(Duration d) {
        clock.advance(d);
    }

    /** @return the calls of the instance plugin and the flavor so far, in the order they were made */
    List<String> callsInOrder() {
        synchronized (journal) {
            return new ArrayList<>(journal);
        }
    }

    /** The configuration hashes of the group's instances, by ID. */
    Map<String, String> hashes() {
        return instances.instances().stream().collect(Collectors.toMap(FakeInstancePlugin.Instance::id,
                i -> String.valueOf(i.tags().get(GroupTags.CONFIG_SHA)), (a, b) -> a, java.util.TreeMap::new));
    }

    static GroupSpec cattle(String id, long size, String note) {
        return new GroupSpec(id, RawJson.of("{\"Allocation\":{\"Size\":" + size + "},"
                + "\"Instance\":{\"Plugin\":\"instance-test\",\"Properties\":{\"note\":\"" + note + "\"}},"
                + "\"Flavor\":{\"Plugin\":\"flavor-test\",\"Properties\":{\"Init\":[\"echo hi\"]}}}"));
    }

    static GroupSpec pets(String id, List<String> logicalIds, String note) {
        String ids = logicalIds.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(","));
        return new GroupSpec(id, RawJson.of("{\"Allocation\":{\"LogicalIDs\":[" + ids + "]},"
                + "\"Instance\":{\"Plugin\":\"instance-test\",\"Properties\":{\"note\":\"" + note + "\"}},"
                + "\"Flavor\":{\"Plugin\":\"flavor-test\",\"Properties\":{\"Init\":[\"echo hi\"]}}}"));
    }

    /** The configuration hash of a spec made by {@link #cattle} or {@link #pets}. */
    static String hashOf(GroupSpec spec) {
        try {
            GroupProperties p = GroupProperties.parse(spec.properties());
            return ConfigHash.of(p.instance(), p.flavor());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        engine.close();
    }
}
