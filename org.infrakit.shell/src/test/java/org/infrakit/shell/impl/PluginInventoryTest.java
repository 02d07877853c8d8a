package org.infrakit.shell.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.infrakit.launch.ExternalPlugin;
import org.infrakit.launch.ExternalPlugins;
import org.infrakit.rpc.BridgeStatus;
import org.infrakit.rpc.ExportedPlugin;
import org.infrakit.rpc.ImportedPlugin;
import org.infrakit.rpc.PluginProblem;
import org.infrakit.shell.verbs.Fakes;
import org.infrakit.shell.verbs.OutputFormat;
import org.infrakit.shell.verbs.PluginEntry;
import org.infrakit.shell.verbs.PluginListing;
import org.infrakit.shell.verbs.ProcessStatus;
import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.GroupPlugin;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.PluginProperties;
import org.junit.jupiter.api.Test;

/**
 * The {@code plugins} listing from the registry, the bridge's status and the launcher's, all fakes;
 * the bridge and the launcher reach the inventory through {@link BridgeStatusSource} and
 * {@link LauncherSource}, as in the runtime.
 */
class PluginInventoryTest {
    private static final Path DIR = Path.of("/run/ik/plugins");

    private final FakeRegistry registry = new FakeRegistry();
    private final ServiceRegistryLookup lookup = new ServiceRegistryLookup(registry.context());
    private final FakeBridge bridge = new FakeBridge();
    private final FakeLauncher launcher = new FakeLauncher();

    // what SCR hands the shell: the fakes behind the components that adapt them
    private PluginSockets bridgeNow;
    private PluginProcesses launcherNow;
    private final PluginInventory inventory = new PluginInventory(lookup::entries, () -> bridgeNow, () -> launcherNow);

    static final class FakeBridge implements BridgeStatus {
        final List<ExportedPlugin> exported = new ArrayList<>();
        final List<PluginProblem> notExported = new ArrayList<>();
        final List<ImportedPlugin> imported = new ArrayList<>();
        final List<PluginProblem> notImported = new ArrayList<>();

        @Override
        public Path pluginsDir() {
            return DIR;
        }

        @Override
        public List<ExportedPlugin> exported() {
            return exported;
        }

        @Override
        public List<PluginProblem> notExported() {
            return notExported;
        }

        @Override
        public List<ImportedPlugin> imported() {
            return imported;
        }

        @Override
        public List<PluginProblem> notImported() {
            return notImported;
        }
    }

    static final class FakeLauncher implements ExternalPlugins {
        final List<ExternalPlugin> plugins = new ArrayList<>();

        @Override
        public List<ExternalPlugin> list() {
            return plugins;
        }

        @Override
        public Optional<ExternalPlugin> get(String name) {
            return plugins.stream().filter(p -> p.name().equals(name)).findFirst();
        }
    }

    private static ExternalPlugin process(String name, ExternalPlugin.State state, long pid, int restarts,
            Integer lastExit, String lastError) {
        return new ExternalPlugin(name, state, pid, restarts, lastExit, lastExit == null ? null : Instant.EPOCH,
                lastError, false, List.of("/usr/bin/" + name));
    }

    private void registerTheRuntime() {
        registry.register(new Fakes.Group(), "org.infrakit.group", Map.of(PluginProperties.NAME, "group"),
                GroupPlugin.class);
        registry.register(new Fakes.Flavor(), "org.infrakit.flavor.vanilla",
                Map.of(PluginProperties.NAME, "flavor-vanilla"), FlavorPlugin.class);
        registry.register(new Fakes.Instance(), "org.infrakit.rpc", Map.of(PluginProperties.NAME, "instance-aws",
                PluginProperties.TYPE, "ec2", PluginProperties.IMPORTED, true,
                PluginProperties.SOCKET, DIR.resolve("instance-aws").toString()), InstancePlugin.class);
        registry.register(new Fakes.Instance(), "org.infrakit.rpc", Map.of(PluginProperties.NAME, "instance-go",
                PluginProperties.IMPORTED, true, PluginProperties.SOCKET, DIR.resolve("instance-go").toString()),
                InstancePlugin.class);
    }

    private String table() {
        return PluginListing.plugins(inventory.entries(), false, OutputFormat.TABLE).output();
    }

    @Test
    void withoutBridgeAndLauncherOnlyTheServicesAreListed() {
        registerTheRuntime();

        assertThat(table()).isEqualTo(""
                + "NAME              INTERFACE       SOCKET                        ORIGIN\n"
                + "flavor-vanilla    Flavor/0.1.0    -                             org.infrakit.flavor.vanilla\n"
                + "group             Group/0.1.0     -                             org.infrakit.group\n"
                + "instance-aws/ec2  Instance/0.6.0  /run/ik/plugins/instance-aws  imported\n"
                + "instance-go       Instance/0.6.0  /run/ik/plugins/instance-go   imported\n");
    }

    @Test
    void theBridgeAddsSocketsAndWhatItCouldNotImportOrExport() {
        registerTheRuntime();
        registry.register(new Fakes.Flavor(), "com.example.bad", Map.of(PluginProperties.NAME, "a/b/c"),
                FlavorPlugin.class);
        bridge.exported.add(new ExportedPlugin("group", DIR.resolve("group"), List.of("Group/0.1.0"), null));
        bridge.exported.add(new ExportedPlugin("flavor-vanilla", DIR.resolve("flavor-vanilla"),
                List.of("Flavor/0.1.0 [.]"), "a live process serves " + DIR.resolve("flavor-vanilla")));
        bridge.notExported.add(new PluginProblem("a/b/c", null, "plugin name 'a/b/c' is not allowed"));
        bridge.notImported.add(new PluginProblem("instance-old", DIR.resolve("instance-old"),
                "speaks Instance/0.5.0; this runtime speaks Group/0.1.0, Instance/0.6.0, Flavor/0.1.0"));
        bridgeNow = new BridgeStatusSource(bridge);

        assertThat(table()).isEqualTo(""
                + "NAME              INTERFACE       SOCKET                        ORIGIN                       PROBLEM\n"
                + "a/b/c             -               -                                                          "
                + "not exported: plugin name 'a/b/c' is not allowed\n"
                + "a/b/c             Flavor/0.1.0    -                             com.example.bad\n"
                + "flavor-vanilla    Flavor/0.1.0    -                             org.infrakit.flavor.vanilla  "
                + "not served: a live process serves /run/ik/plugins/flavor-vanilla\n"
                + "group             Group/0.1.0     /run/ik/plugins/group         org.infrakit.group\n"
                + "instance-aws/ec2  Instance/0.6.0  /run/ik/plugins/instance-aws  imported\n"
                + "instance-go       Instance/0.6.0  /run/ik/plugins/instance-go   imported\n"
                + "instance-old      -               /run/ik/plugins/instance-old  foreign process              "
                + "not imported: speaks Instance/0.5.0; this runtime speaks Group/0.1.0, Instance/0.6.0, Flavor/0.1.0\n");
    }

    @Test
    void theLauncherAddsTheProcessOfExternalPlugins() {
        registerTheRuntime();
        bridge.notImported.add(new PluginProblem("flavor-py", DIR.resolve("flavor-py"),
                "not answering: the socket refused the connection"));
        bridgeNow = new BridgeStatusSource(bridge);
        launcher.plugins.add(process("instance-go", ExternalPlugin.State.RUNNING, 4242, 1, 137, null));
        launcher.plugins.add(process("flavor-py", ExternalPlugin.State.RESTARTING, -1, 2, 1, "exited with code 1"));
        launcher.plugins.add(process("instance-new", ExternalPlugin.State.STARTING, 77, 0, null, null));
        launcher.plugins.add(process("instance-bad", ExternalPlugin.State.FAILED, -1, 5, 2,
                "the restart budget is spent"));
        launcherNow = new LauncherSource(launcher);

        List<PluginEntry> entries = inventory.entries();
        assertThat(entries).filteredOn(e -> e.name().equals("instance-go")).singleElement().satisfies(e -> {
            assertThat(e.origin()).isEqualTo("external");
            assertThat(e.imported()).isTrue();
            assertThat(e.api()).isEqualTo("Instance/0.6.0");
            assertThat(e.process()).isEqualTo(new ProcessStatus("RUNNING", 4242, 1, 137, null));
            assertThat(e.problem()).isNull();
        });
        assertThat(entries).filteredOn(e -> e.name().equals("flavor-py")).singleElement().satisfies(e -> {
            assertThat(e.originText()).isEqualTo("external (RESTARTING, restarts 2, last exit 1)");
            assertThat(e.problem()).isEqualTo("not imported: not answering: the socket refused the connection");
        });
        assertThat(entries).filteredOn(e -> e.name().equals("instance-new")).singleElement().satisfies(e -> {
            assertThat(e.socket()).isEqualTo("/run/ik/plugins/instance-new");
            assertThat(e.originText()).isEqualTo("external (STARTING, pid 77)");
            assertThat(e.problem()).isEqualTo("starting: its socket does not answer yet");
        });
        assertThat(entries).filteredOn(e -> e.name().equals("instance-bad")).singleElement().satisfies(e ->
                assertThat(e.problem()).isEqualTo("failed: the restart budget is spent"));
        // the imported socket the launcher does not know stays 'imported'
        assertThat(entries).filteredOn(e -> e.name().equals("instance-aws")).singleElement()
                .satisfies(e -> assertThat(e.originText()).isEqualTo("imported"));

        assertThat(table()).contains("instance-go       Instance/0.6.0  /run/ik/plugins/instance-go   "
                + "external (RUNNING, pid 4242, restarts 1, last exit 137)\n");
    }

    @Test
    void withoutTheBridgeAProcessHasNoKnownSocket() {
        launcher.plugins.add(process("instance-new", ExternalPlugin.State.STOPPED, -1, 0, 0, null));
        launcherNow = new LauncherSource(launcher);

        assertThat(inventory.entries()).containsExactly(new PluginEntry("instance-new", "", "", null, "external", false,
                "stopped", new ProcessStatus("STOPPED", -1, 0, 0, null)));
    }

    @Test
    void jsonCarriesTheProcessOnlyWhenThereIsOne() {
        registerTheRuntime();
        launcher.plugins.add(process("instance-go", ExternalPlugin.State.ADOPTED, 9, 0, null, null));
        launcherNow = new LauncherSource(launcher);

        String json = PluginListing.plugins(inventory.entries(), false, OutputFormat.JSON).output();

        assertThat(json).contains("{\"Name\":\"group\",\"Type\":\"\",\"Interface\":\"Group/0.1.0\",\"Socket\":null,"
                + "\"Origin\":\"org.infrakit.group\",\"Imported\":false,\"Problem\":null},");
        assertThat(json).contains("{\"Name\":\"instance-go\",\"Type\":\"\",\"Interface\":\"Instance/0.6.0\","
                + "\"Socket\":\"/run/ik/plugins/instance-go\",\"Origin\":\"external\",\"Imported\":true,\"Problem\":null,"
                + "\"Process\":{\"State\":\"ADOPTED\",\"Pid\":9,\"Restarts\":0,\"LastExit\":null,\"LastError\":null}}");
    }

    @Test
    void theLauncherSourceKeepsEveryStateAndField() {
        for (ExternalPlugin.State state : ExternalPlugin.State.values()) {
            assertThat(LauncherSource.process(process("p", state, 5, 3, 2, "boom")))
                    .isEqualTo(new PluginProcesses.Process("p", PluginProcesses.State.valueOf(state.name()), 5, 3, 2,
                            "boom"));
        }
        assertThat(LauncherSource.process(process("p", null, -1, 0, null, null)).state()).isNull();
    }

    @Test
    void theShellCommandReadsTheServicesScrInjects() throws Exception {
        registerTheRuntime();
        bridge.notImported.add(new PluginProblem("instance-old", DIR.resolve("instance-old"), "speaks Instance/0.5.0"));
        launcher.plugins.add(process("instance-go", ExternalPlugin.State.RUNNING, 4242, 0, null, null));
        ShellCommands commands = new ShellCommands(registry.context());

        String before = plugins(commands);
        // what SCR does for the optional dynamic references: set the volatile fields
        for (String field : List.of("bridge", "launcher")) {
            java.lang.reflect.Field f = ShellCommands.class.getDeclaredField(field);
            f.setAccessible(true);
            f.set(commands, field.equals("bridge") ? new BridgeStatusSource(bridge) : new LauncherSource(launcher));
        }
        String after = plugins(commands);

        assertThat(before).doesNotContain("instance-old").contains("instance-go       Instance/0.6.0  "
                + "/run/ik/plugins/instance-go   imported\n");
        assertThat(after).contains("instance-old      -               /run/ik/plugins/instance-old  foreign process",
                "not imported: speaks Instance/0.5.0",
                "/run/ik/plugins/instance-go   external (RUNNING, pid 4242)");
    }

    private static String plugins(ShellCommands commands) {
        java.io.PrintStream saved = System.out;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            commands.plugins(false, "table", false);
        } finally {
            System.setOut(saved);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
