package org.infrakit.rpc.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.infrakit.rpc.impl.testing.FakeGroupPlugin;
import org.infrakit.rpc.impl.testing.FakeInstancePlugin;
import org.infrakit.rpc.impl.testing.ForeignPluginServer;
import org.infrakit.rpc.impl.testing.LogCapture;
import org.infrakit.rpc.impl.testing.RawHttp;
import org.infrakit.rpc.impl.testing.TestDirs;
import org.infrakit.spi.GroupPlugin;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.InfrakitPaths;
import org.infrakit.spi.PluginProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceException;
import org.osgi.framework.ServiceRegistration;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The DS component driven by hand, as SCR would drive it, with a minimal bundle context: local
 * services become sockets, foreign sockets become registered services, and deactivation removes
 * both. (Behaviour inside a real framework is for the integration tests.)
 */
class RpcBridgeTest {
    private static final String UUID = "3c1f0b57-runtime";

    private Path dir;
    private final List<Map<String, Object>> registered = new CopyOnWriteArrayList<>();
    private final List<Object> services = new CopyOnWriteArrayList<>();
    private RpcBridge bridge;

    @BeforeEach
    void setUp() {
        dir = TestDirs.shortTempDir().resolve("plugins");
    }

    @AfterEach
    void tearDown() {
        if (bridge != null) {
            bridge.stop();
        }
        TestDirs.deleteTree(dir.getParent());
    }

    private BundleContext context() {
        return context(Map.of());
    }

    private BundleContext context(Map<String, String> frameworkProperties) {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> Constants.FRAMEWORK_UUID.equals(args[0]) ? UUID
                            : frameworkProperties.get((String) args[0]);
                    case "registerService" -> register(args[1], (Dictionary<?, ?>) args[2]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private ServiceRegistration<?> register(Object service, Dictionary<?, ?> dict) {
        Map<String, Object> props = new HashMap<>();
        for (java.util.Enumeration<?> e = dict.keys(); e.hasMoreElements();) {
            Object k = e.nextElement();
            props.put((String) k, dict.get(k));
        }
        registered.add(props);
        services.add(service);
        return (ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("unregister")) {
                        registered.remove(props);
                        services.remove(service);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A configuration with the annotation's defaults, except the given values. */
    private BridgeConfig config(Map<String, Object> values) {
        BridgeConfig config = (BridgeConfig) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BridgeConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return BridgeConfig.class;
                    }
                    Object v = values.get(method.getName());
                    return v != null ? v : method.getDefaultValue();
                });
        return config;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 250 && !condition.getAsBoolean(); i++) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }

    private static Map<String, Object> serviceProps(long id, String name) {
        return Map.of(Constants.SERVICE_ID, id, PluginProperties.NAME, name);
    }

    @Test
    void exportsLocalServicesImportsForeignSocketsAndCleansUp() throws Exception {
        bridge = new RpcBridge(context(), config(Map.of("plugins_dir", dir.toString(), "scan_interval_ms", 200L)));
        assertThat(Files.isDirectory(dir)).as("the directory is made at once").isTrue();
        bridge.bindGroup(new FakeGroupPlugin(), serviceProps(11, "group"));
        bridge.bindInstance(new FakeInstancePlugin("i"), serviceProps(12, "instance-file"));
        bridge.start();

        Path group = dir.resolve("group");
        await(() -> Files.exists(group, LinkOption.NOFOLLOW_LINKS));
        RawHttp.Reply reply = RawHttp.post(group, "{\"jsonrpc\":\"2.0\",\"method\":\"Group.InspectGroups\",\"id\":1}");
        assertThat(reply.text()).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":{\"Groups\":null},\"id\":1}\n");
        assertThat(reply.headers()).containsEntry("infrakit-runtime", UUID);

        try (ForeignPluginServer foreign = new ForeignPluginServer(dir.resolve("group-go"))) {
            foreign.result("Handshake.Implements", "{\"APIs\":[{\"Name\":\"Group\",\"Version\":\"0.1.0\"}]}")
                    .result("Group.InspectGroups", "{\"Groups\":[{\"ID\":\"go\",\"Properties\":null}]}");
            await(() -> registered.size() == 1);
            assertThat(registered.get(0)).containsEntry(PluginProperties.NAME, "group-go")
                    .containsEntry(PluginProperties.IMPORTED, true);
            assertThat(((GroupPlugin) services.get(0)).inspectGroups()).extracting(GroupSpec::id).containsExactly("go");
            assertThat(bridge.imported()).extracting(i -> i.name()).containsExactly("group-go");
            await(() -> bridge.exported().size() == 2);
            assertThat(bridge.exported()).extracting(e -> e.name()).containsExactly("group", "instance-file");
            assertThat(bridge.notImported()).isEmpty();

            bridge.unbindGroup(null, serviceProps(11, "group"));
            await(() -> !Files.exists(group, LinkOption.NOFOLLOW_LINKS));

            bridge.stop();
            bridge = null;
            assertThat(registered).as("proxies unregistered").isEmpty();
            assertThat(Files.exists(dir.resolve("instance-file"), LinkOption.NOFOLLOW_LINKS)).isFalse();
            assertThat(Files.exists(foreign.socket(), LinkOption.NOFOLLOW_LINKS)).as("foreign sockets are left alone")
                    .isTrue();
        }
    }

    @Test
    void importCanBeSwitchedOff() throws Exception {
        bridge = new RpcBridge(context(), config(Map.of("plugins_dir", dir.toString(), "import_enabled", false)));
        bridge.start();
        try (ForeignPluginServer foreign = new ForeignPluginServer(dir.resolve("other"))) {
            foreign.result("Handshake.Implements", "{\"APIs\":[{\"Name\":\"Group\",\"Version\":\"0.1.0\"}]}");
            Thread.sleep(300);
            assertThat(registered).isEmpty();
            assertThat(foreign.methodsCalled()).isEmpty();
        }
    }

    @Test
    void stoppingRightAfterStartLetsSocketStartsFinishAndIsQuickAndQuiet() throws Exception {
        try (LogCapture rpc = new LogCapture("org.infrakit.rpc"); LogCapture jetty = new LogCapture("org.eclipse.jetty")) {
            bridge = new RpcBridge(context(), config(Map.of("plugins_dir", dir.toString())));
            for (int i = 1; i <= 4; i++) {
                bridge.bindGroup(new FakeGroupPlugin(), serviceProps(i, "g" + i));
            }
            bridge.start();
            long t0 = System.nanoTime();
            bridge.stop();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            bridge = null;
            // an interrupted socket start left a selector behind, which the shared pool waited
            // 2.5 s for before giving up
            assertThat(ms).as("stop took %d ms", ms).isLessThan(2_000);
            assertThat(rpc.events()).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
            assertThat(jetty.events()).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
        }
        try (var files = Files.list(dir)) {
            assertThat(files).as("every socket that was started is removed").isEmpty();
        }
    }

    @Test
    void theDefaultPluginsDirComesFromTheFrameworkProperties() {
        bridge = new RpcBridge(context(Map.of(InfrakitPaths.PLUGINS_DIR_PROPERTY, dir.toString())), config(Map.of()));
        assertThat(bridge.pluginsDir()).isEqualTo(dir);
        assertThat(Files.isDirectory(dir)).isTrue();
    }

    @Test
    void aValueBelowItsFloorIsRaisedWithOneWarningNamingTheKey() {
        try (LogCapture log = new LogCapture(RpcBridge.class)) {
            bridge = new RpcBridge(context(), config(Map.of("plugins_dir", dir.toString(), "max_body_bytes", 10L,
                    "idle_timeout_ms", 5L, "stop_timeout_ms", -1L, "probe_timeout_ms", 0L, "scan_interval_ms", 50L)));
            assertThat(log.events()).filteredOn(e -> e.getLevel() == Level.WARN)
                    .extracting(ILoggingEvent::getFormattedMessage).containsExactlyInAnyOrder(
                            "Configuration org.infrakit.rpc: max.body.bytes = 10 is below its minimum; using 1024",
                            "Configuration org.infrakit.rpc: idle.timeout.ms = 5 is below its minimum; using 100",
                            "Configuration org.infrakit.rpc: stop.timeout.ms = -1 is below its minimum; using 0",
                            "Configuration org.infrakit.rpc: probe.timeout.ms = 0 is below its minimum; using 100",
                            "Configuration org.infrakit.rpc: idle.timeout.ms is deprecated; write idle.timeout = 5ms instead",
                            "Configuration org.infrakit.rpc: stop.timeout.ms is deprecated; write stop.timeout = -1ms instead",
                            "Configuration org.infrakit.rpc: probe.timeout.ms is deprecated; write probe.timeout = 0s instead",
                            "Configuration org.infrakit.rpc: scan.interval.ms is deprecated; write scan.interval = 50ms instead");
        }
    }

    @Test
    void durationsAreGoDurationsWithTheirFloors() {
        try (LogCapture log = new LogCapture(RpcBridge.class)) {
            BridgeConfig config = config(Map.of("idle_timeout", "1m30s", "read_deadline", "50ms", "call_timeout", "1.5s",
                    "stop_timeout", "-1s", "probe_timeout", "250ms", "scan_interval", "2s"));
            assertThat(RpcBridge.Durations.of(config))
                    .isEqualTo(new RpcBridge.Durations(90_000, 100, 1_500, 0, 250, 2_000));
            assertThat(log.messages()).containsExactlyInAnyOrder(
                    "Configuration org.infrakit.rpc: read.deadline = 50ms is below its minimum; using 100ms",
                    "Configuration org.infrakit.rpc: stop.timeout = -1s is below its minimum; using 0s");
        }
    }

    @Test
    void theDefaultsAreTheOldOnes() {
        try (LogCapture log = new LogCapture(RpcBridge.class)) {
            assertThat(RpcBridge.Durations.of(config(Map.of())))
                    .isEqualTo(new RpcBridge.Durations(30_000, 10_000, 0, 5_000, 2_000, 1_000));
            assertThat(log.messages()).isEmpty();
        }
    }

    @Test
    void aDeprecatedMillisecondKeyIsUsedWithOneWarningNamingTheNewKey() {
        try (LogCapture log = new LogCapture(RpcBridge.class)) {
            assertThat(RpcBridge.Durations.of(config(Map.of("call_timeout_ms", 1500L))))
                    .isEqualTo(new RpcBridge.Durations(30_000, 10_000, 1_500, 5_000, 2_000, 1_000));
            assertThat(log.messages()).containsExactly(
                    "Configuration org.infrakit.rpc: call.timeout.ms is deprecated; write call.timeout = 1.5s instead");
        }
    }

    @Test
    void whenBothSpellingsAreGivenTheGoDurationWins() {
        try (LogCapture log = new LogCapture(RpcBridge.class)) {
            assertThat(RpcBridge.Durations.of(config(Map.of("scan_interval", "3s", "scan_interval_ms", 200L)))
                    .scanInterval()).isEqualTo(3_000);
            assertThat(log.messages()).containsExactly("Configuration org.infrakit.rpc: scan.interval.ms is deprecated "
                    + "and ignored, as scan.interval is also given; remove it");
        }
    }

    @Test
    void aBadDurationKeepsTheBridgeFromStartingWithOneErrorLine() {
        try (LogCapture log = new LogCapture(RpcBridge.class)) {
            assertThatThrownBy(() -> new RpcBridge(context(), config(Map.of("plugins_dir", dir.toString(),
                    "idle_timeout", "30")))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Invalid idle.timeout \"30\": time: missing unit in duration \"30\" "
                            + "(a Go duration such as 10s, 500ms or 1m30s)");
            assertThat(log.events()).filteredOn(e -> e.getLevel() == Level.ERROR)
                    .extracting(ILoggingEvent::getFormattedMessage).containsExactly("The RPC bridge is not started: "
                            + "Invalid idle.timeout \"30\": time: missing unit in duration \"30\" "
                            + "(a Go duration such as 10s, 500ms or 1m30s)");
            assertThat(Files.exists(dir)).as("nothing is made before the configuration is read whole").isFalse();
        }
    }

    @Test
    void theConfiguredBodyLimitReachesTheSockets() throws Exception {
        bridge = new RpcBridge(context(), config(Map.of("plugins_dir", dir.toString(), "max_body_bytes", 2048L)));
        bridge.bindGroup(new FakeGroupPlugin(), serviceProps(11, "group"));
        bridge.start();
        Path group = dir.resolve("group");
        await(() -> Files.exists(group, LinkOption.NOFOLLOW_LINKS));
        String call = "{\"jsonrpc\":\"2.0\",\"method\":\"Group.InspectGroups\",\"id\":1,\"pad\":\"";
        String tooBig = call + "x".repeat(3000 - call.length() - 2) + "\"}";
        assertThat(tooBig).hasSize(3000);
        assertThat(RawHttp.post(group, tooBig).status()).isEqualTo(413);
        // 3000 bytes are under the default limit: the configured one is in force
        String fits = call + "x".repeat(2000 - call.length() - 2) + "\"}";
        RawHttp.Reply reply = RawHttp.post(group, fits);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.text()).contains("\"result\":{\"Groups\":null}");
    }

    @Test
    void theConfiguredCallTimeoutReachesTheProxies() throws Exception {
        // no periodic rescan during the test: the silent socket would lose its import at the next probe
        bridge = new RpcBridge(context(), config(Map.of("plugins_dir", dir.toString(), "call_timeout_ms", 300L,
                "scan_interval_ms", 60_000L)));
        try (ForeignPluginServer foreign = new ForeignPluginServer(dir.resolve("group-go"))) {
            foreign.result("Handshake.Implements", "{\"APIs\":[{\"Name\":\"Group\",\"Version\":\"0.1.0\"}]}");
            bridge.start();
            await(() -> registered.size() == 1);
            GroupPlugin proxy = (GroupPlugin) services.get(0);
            foreign.mode(ForeignPluginServer.Mode.SILENT);
            long t0 = System.nanoTime();
            assertThatThrownBy(proxy::inspectGroups).isInstanceOf(ServiceException.class)
                    .hasMessageContaining("did not answer Group.InspectGroups within 300 ms");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).as("the call failed after %d ms", ms).isBetween(250L, 5_000L);
            assertThat(foreign.methodsCalled()).endsWith("Group.InspectGroups");
        }
    }

    @Test
    void servicesImportedByAnyDistributionProviderAreNotExported() throws Exception {
        Filter exportable = FrameworkUtil.createFilter(RpcBridge.EXPORTABLE);
        assertThat(exportable.matches(serviceProps(1, "local"))).isTrue();
        assertThat(exportable.matches(Map.of("service.id", 3L))).as("a service without a name reaches the exporter,"
                + " which says it is not served").isTrue();
        for (Object imported : List.of(true, "true", "ep-1", false)) {
            Map<String, Object> props = new HashMap<>(serviceProps(2, "remote"));
            props.put(PluginProperties.IMPORTED, imported);
            assertThat(exportable.matches(props)).as("service.imported=%s", imported).isFalse();
        }

        // driven as SCR drives it: a service is bound only when it matches the reference's target
        bridge = new RpcBridge(context(), config(Map.of("plugins_dir", dir.toString(), "import_enabled", false)));
        bridge.start();
        Map<String, Object> remote = new HashMap<>(serviceProps(21, "remote"));
        remote.put(PluginProperties.IMPORTED, "ep-1");
        for (Map<String, Object> props : List.of(remote, serviceProps(22, "local"))) {
            if (exportable.matches(props)) {
                bridge.bindGroup(new FakeGroupPlugin(), props);
            }
        }
        await(() -> Files.exists(dir.resolve("local"), LinkOption.NOFOLLOW_LINKS) && !bridge.exported().isEmpty());
        assertThat(bridge.exported()).extracting(e -> e.name()).containsExactly("local");
        assertThat(Files.exists(dir.resolve("remote"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }
}
