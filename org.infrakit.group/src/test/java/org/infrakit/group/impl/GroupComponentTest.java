package org.infrakit.group.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.infrakit.spi.InfrakitPaths;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginProperties;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The DS component, constructed directly: configuration, plugin references, life cycle. */
class GroupComponentTest {
    @TempDir
    Path tmp;

    /** @return paths with the home under the temporary directory */
    private InfrakitPaths paths() {
        return InfrakitPaths.resolve(p -> null, Map.of(), tmp.toString());
    }

    /** A configuration with the annotation's defaults, overridden by the given values. */
    static GroupConfig config(Map<String, Object> values) {
        return (GroupConfig) Proxy.newProxyInstance(GroupConfig.class.getClassLoader(), new Class<?>[] {GroupConfig.class},
                (proxy, method, args) -> {
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    return switch (method.getName()) {
                        case "annotationType" -> GroupConfig.class;
                        case "hashCode" -> 0;
                        case "equals" -> proxy == args[0];
                        default -> "config";
                    };
                });
    }

    @Test
    void theDefaults() {
        EngineOptions o = GroupComponent.options(config(Map.of()));
        assertThat(o.pollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.updatePollInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(o.parallelism()).isEqualTo(8);
        assertThat(o.maxGroupSize()).isEqualTo(10_000);
        assertThat(GroupComponent.options(config(Map.of("max_group_size", 3))).maxGroupSize()).isEqualTo(3);
    }

    @Test
    void goDurationsAreAccepted() {
        assertThat(GroupComponent.options(config(Map.of("poll_interval", "500ms"))).pollInterval())
                .isEqualTo(Duration.ofMillis(500));
        assertThat(GroupComponent.options(config(Map.of("poll_interval", "1m30s"))).pollInterval())
                .isEqualTo(Duration.ofSeconds(90));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "poll_interval|0|Invalid poll.interval \"0\": must be greater than zero",
        "poll_interval|0s|Invalid poll.interval \"0s\": must be greater than zero",
        "poll_interval|-1s|Invalid poll.interval \"-1s\": must be greater than zero",
        "poll_interval|ten|Invalid poll.interval \"ten\": time: invalid duration \"ten\" (a Go duration such as 10s, 500ms or 1m30s)",
        "poll_interval|10|Invalid poll.interval \"10\": time: missing unit in duration \"10\" (a Go duration such as 10s, 500ms or 1m30s)",
        "update_poll_interval|0ms|Invalid update.poll.interval \"0ms\": must be greater than zero"
    })
    void badDurationsStopTheActivationWithAClearMessageNamingTheKeyAsWritten(String attribute, String value,
            String message) {
        assertThatThrownBy(() -> new GroupComponent(config(Map.of(attribute, value, "state_dir", tmp.toString())), paths()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void aBadMaximumGroupSizeStopsTheActivation() {
        assertThatThrownBy(() -> GroupComponent.options(config(Map.of("max_group_size", 0))))
                .hasMessage("Invalid max.group.size 0: must be at least 1");
    }

    @Test
    void aBadParallelismStopsTheActivation() {
        assertThatThrownBy(() -> GroupComponent.options(config(Map.of("parallelism", 0))))
                .hasMessage("Invalid parallelism 0: must be at least 1");
    }

    @Test
    void theStateDirectory() {
        InfrakitPaths env = InfrakitPaths.resolve(p -> null, Map.of("INFRAKIT_HOME", "/h"), "/home/u");
        assertThat(GroupComponent.stateDir("/x/y", env)).isEqualTo(Paths.get("/x/y"));
        assertThat(GroupComponent.stateDir("", env)).isEqualTo(Paths.get("/h/groups"));
        assertThat(GroupComponent.stateDir("", InfrakitPaths.resolve(p -> null, Map.of(), "/home/u")))
                .isEqualTo(Paths.get("/home/u/.infrakit/groups"));
    }

    @Test
    void theFrameworkPropertyInfrakitHomeMovesTheStateDirectory() throws Exception {
        Path home = tmp.resolve("home");
        GroupComponent c = new GroupComponent(config(Map.of()),
                bundleContext(Map.of(InfrakitPaths.HOME_PROPERTY, home.toString())));
        try {
            FakeInstancePlugin instances = new FakeInstancePlugin("inst-", System::nanoTime);
            c.bindFlavorPlugin(new FakeFlavorPlugin(), Map.of(PluginProperties.NAME, "flavor-test"));
            c.bindInstancePlugin(instances, Map.of(PluginProperties.NAME, "instance-test"));
            c.commitGroup(Harness.cattle("g", 1, "v1"), false);
            assertThat(home.resolve("groups").resolve("g.json")).isRegularFile();
        } finally {
            c.deactivate();
        }
    }

    /** A bundle context that answers framework properties from a map and nothing else. */
    static BundleContext bundleContext(Map<String, String> properties) {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty")) {
                        return properties.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void pluginServicesFeedTheGroupsAndSpecsArePersisted() throws Exception {
        Path state = tmp.resolve("state");
        GroupComponent c = new GroupComponent(config(Map.of("poll_interval", "100ms", "state_dir", state.toString())),
                paths());
        FakeInstancePlugin instances = new FakeInstancePlugin("inst-", System::nanoTime);
        FakeFlavorPlugin flavor = new FakeFlavorPlugin();
        try {
            assertThatThrownBy(() -> c.commitGroup(Harness.cattle("g", 2, "v1"), false))
                    .hasMessage("Failed to find Flavor plugin 'flavor-test':plugin not found:flavor-test");
            Map<String, Object> fprops = new HashMap<>(Map.of(PluginProperties.NAME, "flavor-test", "service.id", 7L));
            c.bindFlavorPlugin(flavor, fprops);
            c.bindInstancePlugin(instances, Map.of(PluginProperties.NAME, "instance-test", "service.id", 8L));

            assertThat(c.commitGroup(Harness.cattle("g", 2, "v1"), false)).isEqualTo("Managing 2 instances");
            await(() -> instances.ids().size() == 2);
            assertThat(Files.exists(state.resolve("g.json"))).isTrue();
            assertThat(c.describeGroup("g").converged()).isTrue();
            assertThat(c.inspectGroups()).hasSize(1);

            long listings = instances.count("DescribeInstances");
            await(() -> instances.count("DescribeInstances") > listings + 1); // the group has seen both
            c.unbindInstancePlugin(instances);
            assertThatThrownBy(() -> c.describeGroup("g")).isInstanceOf(PluginException.class)
                    .hasMessage("Failed to find Instance plugin 'instance-test':plugin not found:instance-test");
            instances.vanish("inst-0001");
            c.bindInstancePlugin(instances, Map.of(PluginProperties.NAME, "instance-test", "service.id", 9L));
            await(() -> instances.ids().size() == 2);

            c.destroyGroup("g");
            assertThat(instances.ids()).isEmpty();
            assertThatThrownBy(() -> c.freeGroup("g")).hasMessage("Group 'g' is not being watched");
        } finally {
            c.deactivate();
        }
        int before = instances.calls().size();
        Thread.sleep(250);
        assertThat(instances.calls()).hasSize(before); // nothing runs after deactivation
    }

    @Test
    void aRestartedComponentResumesItsGroups() throws Exception {
        Path state = tmp.resolve("state");
        Map<String, Object> cfg = Map.of("poll_interval", "100ms", "state_dir", state.toString());
        FakeInstancePlugin instances = new FakeInstancePlugin("inst-", System::nanoTime);
        FakeFlavorPlugin flavor = new FakeFlavorPlugin();
        GroupComponent first = new GroupComponent(config(cfg), paths());
        first.bindFlavorPlugin(flavor, Map.of(PluginProperties.NAME, "flavor-test"));
        first.bindInstancePlugin(instances, Map.of(PluginProperties.NAME, "instance-test"));
        first.commitGroup(Harness.cattle("g", 3, "v1"), false);
        await(() -> instances.ids().size() == 3);
        first.deactivate();

        GroupComponent second = new GroupComponent(config(cfg), paths());
        try {
            // the plugins arrive after activation, as services do
            second.bindFlavorPlugin(flavor, Map.of(PluginProperties.NAME, "flavor-test"));
            second.bindInstancePlugin(instances, Map.of(PluginProperties.NAME, "instance-test"));
            assertThat(second.inspectGroups()).hasSize(1);
            await(() -> instances.count("DescribeInstances") > 4);
            instances.vanish("inst-0002");
            await(() -> instances.ids().size() == 3);
            Thread.sleep(300);
            assertThat(instances.count("Provision")).isEqualTo(4);
        } finally {
            second.deactivate();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
