package org.infrakit.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.infrakit.boot.home.HomeLock;
import org.infrakit.spi.Allocation;
import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.GroupDescription;
import org.infrakit.spi.GroupPlugin;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.Index;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.RawJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

class InfraKitRuntimeTest {
    private static final List<String> DEFAULT_SOCKETS = List.of("flavor-vanilla", "group", "instance-file");

    private Path home;
    private InfraKitRuntime runtime;

    @BeforeEach
    void setUp() throws Exception {
        home = TestDirs.shortTempDir("ik-embed");
    }

    @AfterEach
    void tearDown() {
        if (runtime != null) {
            runtime.close();
        }
        TestDirs.deleteTree(home);
    }

    @Test
    void theDefaultPluginsKeepToTheHomeGivenWhateverTheEnvironmentSays() throws Exception {
        // surefire points INFRAKIT_HOME elsewhere (target/infrakit-home): nothing may go there
        Path environment = Path.of(System.getenv("INFRAKIT_HOME"));
        TestDirs.deleteTree(environment.resolve("instances"));
        TestDirs.deleteTree(environment.resolve("groups"));

        runtime = InfraKitRuntime.builder().home(home).timeout(Duration.ofSeconds(30)).start();
        // the built-in file plugin prepares its directory when first used
        assertThat(runtime.plugin(InstancePlugin.class, "instance-file").describeInstances(null, false)).isEmpty();
        runtime.plugin(GroupPlugin.class, "group");

        assertThat(home.resolve("instances")).isDirectory();
        assertThat(environment.resolve("instances")).doesNotExist();
        assertThat(environment.resolve("groups")).doesNotExist();
    }

    @Test
    void aSecondRuntimeOnTheSameHomeIsRefusedWithThePidThatHoldsIt() throws Exception {
        runtime = InfraKitRuntime.builder().home(home).timeout(Duration.ofSeconds(30)).start();
        long pid = ProcessHandle.current().pid();
        assertThat(Files.readString(home.resolve(HomeLock.FILE)).trim()).isEqualTo(Long.toString(pid));
        Path cache = home.resolve("felix-cache");
        long bundlesBefore = TestDirs.names(cache).size();

        assertThatThrownBy(() -> InfraKitRuntime.builder().home(home).timeout(Duration.ofSeconds(30)).start())
                .isInstanceOf(HomeLock.HeldException.class)
                .hasMessageContaining(home.toString())
                .hasMessageContaining("pid " + pid);
        // the refused one wrote nothing: the first one's bundle cache is whole and it still serves
        assertThat(TestDirs.names(cache)).hasSize((int) bundlesBefore);
        runtime.plugin(GroupPlugin.class, "group").inspectGroups();

        runtime.close();
        runtime = InfraKitRuntime.builder().home(home).timeout(Duration.ofSeconds(30)).start();
        runtime.plugin(GroupPlugin.class, "group").inspectGroups();
    }

    @Test
    void servesTheDefaultPluginsCommitsAGroupAndRemovesTheSocketsOnClose() throws Exception {
        runtime = InfraKitRuntime.builder().home(home).timeout(Duration.ofSeconds(30)).start();
        Path plugins = home.resolve("plugins");
        assertThat(runtime.pluginsDir()).isEqualTo(plugins);

        GroupPlugin groups = runtime.plugin(GroupPlugin.class, "group");
        runtime.plugin(InstancePlugin.class, "instance-file");
        runtime.plugin(FlavorPlugin.class, "flavor-vanilla");
        assertThat(TestDirs.await(20_000, () -> DEFAULT_SOCKETS.stream().allMatch(
                n -> UnixHttp.answers(plugins.resolve(n))))).as("the three sockets answer").isTrue();

        String details = groups.commitGroup(new GroupSpec("workers", RawJson.of("""
                {"Allocation":{"Size":2},
                 "Instance":{"Plugin":"instance-file","Properties":{"Note":"embedded"}},
                 "Flavor":{"Plugin":"flavor-vanilla","Properties":{"Init":["echo hi"]}}}""")), false);

        assertThat(details).contains("2");
        Path instances = home.resolve("instances");
        assertThat(TestDirs.await(20_000, () -> TestDirs.names(instances).stream()
                .filter(n -> n.startsWith("instance-")).count() == 2)).as("two instance files in " + instances).isTrue();
        GroupDescription described = groups.describeGroup("workers");
        assertThat(described.instances()).hasSize(2);
        assertThat(Files.readString(instances.resolve(TestDirs.names(instances).get(0)))).contains("embedded");
        assertThat(home.resolve("groups/workers.json")).exists();

        runtime.close();

        assertThat(TestDirs.names(plugins)).isEmpty();
        assertThatThrownBy(() -> runtime.plugin(GroupPlugin.class, "group"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        runtime.close();
    }

    @Test
    void aMissingPluginIsReportedAfterTheWait() throws Exception {
        runtime = InfraKitRuntime.builder().home(home).start();
        runtime.plugin(GroupPlugin.class, "group");
        assertThat(TestDirs.await(20_000, () -> DEFAULT_SOCKETS.stream().allMatch(
                n -> UnixHttp.answers(runtime.pluginsDir().resolve(n))))).isTrue();

        assertThatThrownBy(() -> runtime.plugin(InstancePlugin.class, "nowhere", Duration.ofMillis(200)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("No InstancePlugin named 'nowhere' within 200 ms (plugins directory "
                        + home.resolve("plugins") + ")");
        assertThatThrownBy(() -> runtime.plugin(InstancePlugin.class, "../b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("plugin name '..' must not be '.' or contain '..'");
    }

    @Test
    void anExtraPluginBundleIsInstalledAndServedAndTheLogLevelReachesTheBridge() throws Exception {
        Path example = Path.of(System.getProperty("example.bundle"));
        Path sockets = home.resolve("sockets");
        runtime = InfraKitRuntime.builder().home(home).pluginsDir(sockets).bundle(example).logLevel(5).start();

        FlavorPlugin flavor = runtime.plugin(FlavorPlugin.class, "flavor-example");
        InstanceSpec spec = flavor.prepare(RawJson.of("{\"Greeting\":\"from the host\"}"),
                InstanceSpec.of(null, Map.of(), "", null, null), Allocation.ofSize(1), new Index("g", 0));

        assertThat(spec.tags()).containsEntry("example.flavor", "flavor-example");
        assertThat(spec.init()).isEqualTo("echo 'from the host'");
        assertThat(TestDirs.await(20_000, () -> UnixHttp.answers(sockets.resolve("flavor-example")))).isTrue();
        assertThat(runtime.bundleContext().getProperty("infrakit.log.level")).isEqualTo("5");
        assertThat(home.resolve("plugins")).doesNotExist();
    }

    @Test
    void theDeployFolderTakesBundlesAndConfigurations() throws Exception {
        Path deploy = home.resolve("deploy");
        runtime = InfraKitRuntime.builder().home(home).deployDir(deploy).start();
        Path plugins = runtime.pluginsDir();
        runtime.plugin(GroupPlugin.class, "group");

        Files.copy(Path.of(System.getProperty("example.bundle")), deploy.resolve("example.jar"));
        Files.writeString(deploy.resolve("org.infrakit.instance.file-b.cfg"),
                "name = instance-file-b\ndir = " + home.resolve("instances-b") + "\n");

        assertThat(TestDirs.await(20_000, () -> UnixHttp.answers(plugins.resolve("flavor-example"))
                && UnixHttp.answers(plugins.resolve("instance-file-b")))).isTrue();
        assertThat(home.resolve("instances-b")).isDirectory();

        Files.delete(deploy.resolve("example.jar"));
        Files.delete(deploy.resolve("org.infrakit.instance.file-b.cfg"));

        assertThat(TestDirs.await(20_000, () -> !Files.exists(plugins.resolve("flavor-example"))
                && !Files.exists(plugins.resolve("instance-file-b")))).isTrue();
        assertThat(UnixHttp.answers(plugins.resolve("group"))).isTrue();
    }

    /**
     * The embedded runtime carries the configuration check (diagnostics and MetaType) and reads
     * {@code .cfg} files as UTF-8, as the runtime does.
     */
    @Test
    void configurationMistakesAreWarnedAboutAndCfgFilesAreUtf8() throws Exception {
        Path deploy = Files.createDirectories(home.resolve("deploy"));
        Path group = deploy.resolve("org.infrakit.group.cfg");
        Files.writeString(group, "poll_interval = 5s\n");
        Path utf = deploy.resolve("org.infrakit.instance.file-utf.cfg");
        Files.writeString(utf, "name = instance-utf\ndir = " + home.resolve("straße") + "\n");
        Logger check = (Logger) LoggerFactory.getLogger("org.infrakit.diagnostics.impl.ConfigurationCheck");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        check.addAppender(log);
        try {
            runtime = InfraKitRuntime.builder().home(home).deployDir(deploy).start();
            Path plugins = runtime.pluginsDir();
            String expected = group + ": unknown key 'poll_interval' ignored (did you mean poll.interval?)";
            assertThat(TestDirs.await(20_000, () -> {
                synchronized (log.list) {
                    return log.list.stream().anyMatch(e -> e.getFormattedMessage().equals(expected));
                }
            })).as("the warning %s", expected).isTrue();
            assertThat(TestDirs.await(20_000, () -> UnixHttp.answers(plugins.resolve("instance-utf")))).isTrue();
            assertThat(home.resolve("straße")).isDirectory();
        } finally {
            check.detachAppender(log);
        }
    }

    @Test
    void withoutADeployFolderThereIsNoFileInstall() throws Exception {
        runtime = InfraKitRuntime.builder().home(home).start();
        // (closing while the bridge is still opening the first sockets takes several seconds)
        assertThat(TestDirs.await(20_000, () -> DEFAULT_SOCKETS.stream().allMatch(
                n -> UnixHttp.answers(runtime.pluginsDir().resolve(n))))).isTrue();

        assertThat(java.util.Arrays.stream(runtime.bundleContext().getBundles()).map(b -> b.getSymbolicName()))
                .contains("org.infrakit.rpc", "org.infrakit.group", "org.apache.felix.scr")
                .doesNotContain("org.apache.felix.fileinstall", "org.infrakit.spi");
        assertThat(java.util.Arrays.stream(runtime.bundleContext().getBundles()))
                .allMatch(b -> b.getState() == org.osgi.framework.Bundle.ACTIVE, "every bundle is active");
    }
}
