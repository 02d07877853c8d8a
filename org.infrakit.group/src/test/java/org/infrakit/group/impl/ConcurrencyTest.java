package org.infrakit.group.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.PluginException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine on real threads and the real clock, as in the runtime. */
class ConcurrencyTest {
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final PluginRegistry plugins = new PluginRegistry();
    private final FakeInstancePlugin instances = new FakeInstancePlugin("inst-", System::nanoTime);
    private final FakeFlavorPlugin flavor = new FakeFlavorPlugin();

    private GroupEngine engine(Duration poll, int parallelism) {
        plugins.add(org.infrakit.spi.InstancePlugin.class, instances,
                java.util.Map.of(org.infrakit.spi.PluginProperties.NAME, "instance-test"));
        plugins.add(org.infrakit.spi.FlavorPlugin.class, flavor,
                java.util.Map.of(org.infrakit.spi.PluginProperties.NAME, "flavor-test"));
        return new GroupEngine(plugins, new ExecutorScheduler(timers), workers,
                new EngineOptions(poll, Duration.ofMillis(20), parallelism, null), null);
    }

    @AfterEach
    void stop() throws InterruptedException {
        timers.shutdownNow();
        workers.shutdownNow();
        workers.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void theEngineRunsOnPlainObjectsWithoutAnyFramework() throws Exception {
        GroupEngine engine = new GroupEngine(
                PluginLookup.of(java.util.Map.of("instance-test", instances), java.util.Map.of("flavor-test", flavor)),
                new ExecutorScheduler(timers), workers, EngineOptions.defaults(), null);
        engine.start();
        engine.commitGroup(Harness.cattle("g", 100, "v1"), false);
        await("100 instances exist", () -> instances.ids().size() == 100);
        assertThat(engine.describeGroup("g").converged()).isTrue();
        engine.destroyGroup("g");
        assertThat(instances.ids()).isEmpty();
        engine.close();
    }

    @Test
    void creationsRunInParallelUpToTheLimit() throws Exception {
        GroupEngine engine = engine(Duration.ofSeconds(10), 3);
        instances.provisionMillis = 15;
        engine.commitGroup(Harness.cattle("g", 12, "v1"), false);
        await("12 instances exist", () -> instances.ids().size() == 12);
        assertThat(instances.maxInFlight()).isBetween(2, 3);
        assertThat(instances.count("Provision")).isEqualTo(12);
        engine.close();
    }

    @Test
    void destroyWhileAPassIsCreatingLeavesNoOrphans() throws Exception {
        GroupEngine engine = engine(Duration.ofMillis(50), 4);
        instances.provisionMillis = 10;
        engine.commitGroup(Harness.cattle("g", 40, "v1"), false);
        await("creation started", () -> instances.count("Provision") >= 4);
        engine.destroyGroup("g");
        assertThat(instances.ids()).isEmpty();
        Thread.sleep(150);
        assertThat(instances.ids()).isEmpty();
        assertThat(engine.inspectGroups()).isEmpty();
        engine.close();
    }

    @Test
    void aRollOfManyInstancesIsNotPacedByThePollInterval() throws Exception {
        GroupEngine engine = engine(Duration.ofSeconds(30), 8);
        engine.commitGroup(Harness.cattle("g", 50, "v1"), false);
        await("50 instances exist", () -> instances.ids().size() == 50);
        GroupSpec v2 = Harness.cattle("g", 50, "v2");
        long start = System.nanoTime();
        engine.commitGroup(v2, false);
        await("all rolled", () -> {
            try {
                return engine.describeGroup("g").converged();
            } catch (PluginException e) {
                return false;
            }
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(instances.maxCount()).isEqualTo(50);
        assertThat(instances.instances()).allMatch(i -> Harness.hashOf(v2).equals(i.tags().get(GroupTags.CONFIG_SHA)));
        engine.close();
    }

    @Test
    void concurrentCommitsOfDifferentGroupsDoNotWaitForEachOther() throws Exception {
        GroupEngine engine = engine(Duration.ofSeconds(10), 8);
        FakeInstancePlugin slow = new FakeInstancePlugin("slow-", System::nanoTime) {
            @Override
            public void validate(org.infrakit.spi.RawJson properties) throws PluginException {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        plugins.add(org.infrakit.spi.InstancePlugin.class, slow,
                java.util.Map.of(org.infrakit.spi.PluginProperties.NAME, "instance-slow"));
        var slowCommit = workers.submit(() -> engine.commitGroup(new GroupSpec("slow", org.infrakit.spi.RawJson.of(
                "{\"Allocation\":{\"Size\":1},\"Instance\":{\"Plugin\":\"instance-slow\"},\"Flavor\":{\"Plugin\":\"flavor-test\"}}")),
                false));
        Thread.sleep(50);
        long start = System.nanoTime();
        engine.commitGroup(Harness.cattle("fast", 1, "v1"), false);
        engine.describeGroup("fast");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(300));
        assertThat(slowCommit.get(5, TimeUnit.SECONDS)).isEqualTo("Managing 1 instances");
        engine.close();
    }
}
