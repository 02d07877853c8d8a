package org.infrakit.launch.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.infrakit.launch.impl.Fixture.await;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.infrakit.launch.ExternalPlugin;
import org.infrakit.launch.ExternalPlugin.State;
import org.infrakit.spi.InfrakitPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentConstants;

/** The two DS components, constructed the way SCR does, over real processes. */
class ComponentsTest {
    private Fixture fx;
    private ExternalPluginsComponent runtime;

    @BeforeEach
    void setUp() throws IOException {
        fx = new Fixture();
        runtime = newRuntime();
    }

    @AfterEach
    void tearDown() throws IOException {
        runtime.deactivate();
        fx.close();
    }

    private ExternalPluginsComponent newRuntime() {
        return new ExternalPluginsComponent(Configs.of(RuntimeConfig.class,
                Map.of("home", fx.root.toString(), "plugins_dir", fx.paths.pluginsDir().toString())),
                InfrakitPaths.resolve(p -> null, Map.of(), fx.root.resolve("user").toString()));
    }

    @Test
    void withoutConfigurationThePathsComeFromTheFrameworkProperties() {
        Map<String, String> props = Map.of(InfrakitPaths.HOME_PROPERTY, fx.root.resolve("h").toString());
        BundleContext context = (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty")) {
                        return props.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        ExternalPluginsComponent c = new ExternalPluginsComponent(Configs.of(RuntimeConfig.class, Map.of()), context);
        try {
            assertThat(c.launcher().paths().home()).isEqualTo(fx.root.resolve("h"));
            assertThat(c.launcher().paths().pluginsDir()).isEqualTo(fx.root.resolve("h").resolve("plugins"));
            assertThat(c.launcher().paths().record("x")).isEqualTo(fx.root.resolve("h/launch/x.json"));
            assertThat(c.launcher().paths().logFile("x")).isEqualTo(fx.root.resolve("h/logs/x.log"));
        } finally {
            c.deactivate();
        }
    }

    @Test
    void theRuntimeConfigurationWinsOverTheRuntimePaths() {
        InfrakitPaths runtime = InfrakitPaths.resolve(Map.of(InfrakitPaths.HOME_PROPERTY, "/h")::get, Map.of(), "/u");
        assertThat(LaunchPaths.resolve("", "", runtime)).isEqualTo(new LaunchPaths(Path.of("/h"), Path.of("/h/plugins")));
        assertThat(LaunchPaths.resolve("/c", "", runtime)).isEqualTo(new LaunchPaths(Path.of("/c"), Path.of("/h/plugins")));
        assertThat(LaunchPaths.resolve("/c", "/p", runtime)).isEqualTo(new LaunchPaths(Path.of("/c"), Path.of("/p")));
    }

    /** A descriptor as FileInstall delivers a plain .cfg: the command is one string, quoted like a shell line. */
    private ExternalPluginDescriptor descriptor(ExternalPluginsComponent rt, String name, Object... extra) {
        Map<String, Object> values = new HashMap<>();
        values.put("name", name);
        values.put("command", fx.command(name).stream().map(w -> "'" + w + "'").collect(Collectors.joining(" ")));
        values.put("stop_grace", "500ms");
        values.put("backoff_initial", "50ms");
        for (int i = 0; i < extra.length; i += 2) {
            values.put((String) extra[i], extra[i + 1]);
        }
        return new ExternalPluginDescriptor(rt, Configs.of(LaunchConfig.class, values), properties(name));
    }

    private static Map<String, Object> properties(String name) {
        return Map.of("felix.fileinstall.filename", "file:/srv/infrakit/deploy/org.infrakit.launch-" + name + ".cfg",
                "service.pid", "org.infrakit.launch~" + name, "name", name);
    }

    private ExternalPlugin status(ExternalPluginsComponent rt, String name) {
        return rt.get(name).orElseThrow();
    }

    /**
     * A plugin that keeps failing spends its budget and stays down; touching its descriptor file
     * (which ConfigAdmin never hears of: no value changed), or editing it without changing a
     * value, starts it again with a fresh budget; a fixed descriptor makes it run.
     */
    @Test
    void aFailedPluginIsStartedAgainWhenItsDescriptorIsTouchedEditedOrFixed() throws Exception {
        Path cfg = Files.createDirectories(fx.root.resolve("deploy")).resolve("org.infrakit.launch-omega.cfg");
        String crashing = fx.command("omega", "--crash-after", "0.1").stream().map(w -> "'" + w + "'")
                .collect(Collectors.joining(" "));
        Files.writeString(cfg, "name = omega\ncommand = " + crashing + "\nmax.restarts = 1\n");
        Map<String, Object> values = new HashMap<>(Map.of("name", "omega", "command", crashing, "max_restarts", 1,
                "backoff_initial", "50ms", "stop_grace", "500ms"));
        Map<String, Object> properties = Map.of("felix.fileinstall.filename", cfg.toUri().toString(),
                "service.pid", "org.infrakit.launch~omega", "name", "omega");
        ExternalPluginDescriptor d = new ExternalPluginDescriptor(runtime, Configs.of(LaunchConfig.class, values),
                properties);

        await("omega failed for good", () -> status(runtime, "omega").state() == State.FAILED);
        assertThat(fx.logged("ERROR")).hasSize(1);
        Thread.sleep(3 * DescriptorFiles.POLL_MILLIS);
        assertThat(fx.logged("ERROR")).as("it stays down while nothing happens").hasSize(1);

        // touched: started again, fails again (a fresh budget of one restart), stays down again
        Files.setLastModifiedTime(cfg, FileTime.fromMillis(System.currentTimeMillis() + 1_000));
        await("a second failure for good", () -> fx.logged("ERROR").size() == 2);
        assertThat(fx.logged("INFO")).contains("external plugin 'omega': " + cfg + " was touched, starting it again");
        assertThat(status(runtime, "omega").state()).isEqualTo(State.FAILED);

        // edited without a changed value (a comment): the same
        Files.writeString(cfg, "# still crashing\n", StandardOpenOption.APPEND);
        await("a third failure for good", () -> fx.logged("ERROR").size() == 3);

        // fixed: ConfigAdmin delivers the changed command, and it runs
        values.put("command", fx.command("omega").stream().map(w -> "'" + w + "'").collect(Collectors.joining(" ")));
        Files.writeString(cfg, "name = omega\ncommand = " + values.get("command") + "\n");
        d.modified(Configs.of(LaunchConfig.class, values), properties);
        await("omega running", () -> status(runtime, "omega").state() == State.RUNNING);
        assertThat(fx.processes()).hasSize(1);

        d.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
        await("omega gone", () -> runtime.get("omega").isEmpty() && fx.processes().isEmpty());
    }

    @Test
    void aDescriptorLaunchesItsPluginAndDeletingItStopsIt() {
        ExternalPluginDescriptor d = descriptor(runtime, "alpha");

        await("alpha running", () -> status(runtime, "alpha").state() == State.RUNNING);
        assertThat(runtime.list()).extracting(ExternalPlugin::name).containsExactly("alpha");
        assertThat(fx.processes()).hasSize(1);

        d.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);

        await("alpha gone", () -> runtime.get("alpha").isEmpty() && fx.processes().isEmpty());
        assertThat(fx.paths.socket("alpha")).doesNotExist();
    }

    @Test
    void bundleStopLeavesItToTheRuntimeShutdownWhichSparesDetachablePlugins() {
        ExternalPluginDescriptor attached = descriptor(runtime, "beta");
        ExternalPluginDescriptor detached = descriptor(runtime, "gamma", "detachable", true);
        await("both running", () -> status(runtime, "beta").state() == State.RUNNING
                && status(runtime, "gamma").state() == State.RUNNING);
        long betaPid = status(runtime, "beta").pid();
        long gammaPid = status(runtime, "gamma").pid();

        attached.deactivate(ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED);
        detached.deactivate(ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED);
        assertThat(runtime.list()).hasSize(2);
        runtime.deactivate();

        assertThat(ProcessHandle.of(betaPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(ProcessHandle.of(gammaPid).map(ProcessHandle::isAlive).orElse(false)).isTrue();

        runtime = newRuntime();
        descriptor(runtime, "beta");
        descriptor(runtime, "gamma", "detachable", true);
        await("beta started, gamma adopted", () -> status(runtime, "beta").state() == State.RUNNING
                && status(runtime, "gamma").state() == State.ADOPTED);
        assertThat(status(runtime, "gamma").pid()).isEqualTo(gammaPid);
        assertThat(fx.processes()).hasSize(2);
    }

    @Test
    void aBadDescriptorIsOneErrorLineAndLaunchesNothing() {
        new ExternalPluginDescriptor(runtime, Configs.of(LaunchConfig.class, Map.of("name", "a/b", "command", "x")),
                properties("bad"));

        assertThat(runtime.list()).isEmpty();
        assertThat(fx.logged("ERROR")).containsExactly(
                "org.infrakit.launch-bad.cfg: external plugin descriptor: plugin name 'a/b' must not contain '/'");
    }

    @Test
    void aBadChangeKeepsThePluginRunningOnItsPreviousDescriptor() {
        ExternalPluginDescriptor d = descriptor(runtime, "delta");
        await("delta running", () -> status(runtime, "delta").state() == State.RUNNING);
        long pid = status(runtime, "delta").pid();

        d.modified(Configs.of(LaunchConfig.class, Map.of("name", "delta", "command", "x", "stop_grace", "soon")),
                properties("delta"));

        assertThat(fx.logged("ERROR")).containsExactly("org.infrakit.launch-delta.cfg: external plugin 'delta': "
                + "stop.grace: time: invalid duration \"soon\" (write it like 500ms, 10s, 1m30s or 1h); the plugin keeps "
                + "running with its previous descriptor");
        assertThat(status(runtime, "delta").pid()).isEqualTo(pid);
        assertThat(status(runtime, "delta").state()).isEqualTo(State.RUNNING);
        assertThat(List.of(status(runtime, "delta").command())).isNotEmpty();
    }
}
