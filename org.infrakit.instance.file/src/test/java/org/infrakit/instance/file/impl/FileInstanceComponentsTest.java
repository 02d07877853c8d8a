package org.infrakit.instance.file.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.infrakit.spi.InfrakitPaths;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The DS components, constructed by hand as SCR would construct them, against a recorder of
 * registrations that answers "which service serves this name" by the OSGi rule (highest
 * {@code service.ranking}, then the oldest), as the exporter, the group and the shell do. The
 * built-in plugin is registered the way its DS descriptor says.
 */
class FileInstanceComponentsTest {
    @TempDir
    Path tmp;

    private record Registration(String name, int ranking, long id, InstancePlugin plugin) {
    }

    private final List<Registration> live = new ArrayList<>();
    private long nextId = 1;
    private boolean stopping;

    private Runnable register(String name, int ranking, InstancePlugin plugin) {
        Registration r = new Registration(name, ranking, nextId++, plugin);
        live.add(r);
        return () -> live.remove(r);
    }

    private Runnable register(InstancePlugin plugin, Dictionary<String, ?> props) {
        assertThat(props.get("service.ranking")).isEqualTo(ConfiguredFileInstance.CONFIGURED_RANKING);
        return register((String) props.get(PluginProperties.NAME), (Integer) props.get("service.ranking"), plugin);
    }

    private DefaultFileInstance builtIn(DefaultFileInstance plugin) {
        register(DefaultFileInstance.NAME, DefaultFileInstance.BUILT_IN_RANKING, plugin);
        return plugin;
    }

    private InstancePlugin serving(String name) {
        return live.stream().filter(r -> r.name().equals(name))
                .min(Comparator.comparingInt(Registration::ranking).reversed().thenComparingLong(Registration::id))
                .map(Registration::plugin).orElse(null);
    }

    private Path servingDir(String name) {
        return serving(name) instanceof DefaultFileInstance d ? d.dir() : ((FileInstancePlugin) serving(name)).dir();
    }

    private Set<String> names() {
        TreeSet<String> names = new TreeSet<>();
        live.forEach(r -> names.add(r.name()));
        return names;
    }

    private InfrakitPaths paths() {
        return InfrakitPaths.resolve(p -> null, Map.of("INFRAKIT_HOME", tmp.resolve("home").toString()),
                "/nonexistent-home");
    }

    /** A bundle context that answers framework properties from a map and registers into the recorder. */
    private BundleContext bundleContext(Map<String, String> properties) {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getProperty":
                            return properties.get((String) args[0]);
                        case "registerService":
                            assertThat(args[0]).isEqualTo(InstancePlugin.class);
                            Runnable withdraw = register((InstancePlugin) args[1], (Dictionary<String, ?>) args[2]);
                            return Proxy.newProxyInstance(ServiceRegistration.class.getClassLoader(),
                                    new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> {
                                        if (m.getName().equals("unregister")) {
                                            withdraw.run();
                                            return null;
                                        }
                                        throw new UnsupportedOperationException(m.getName());
                                    });
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    private static FileInstanceConfig config(String name, String dir) {
        return new FileInstanceConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return FileInstanceConfig.class;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public String dir() {
                return dir;
            }
        };
    }

    private static Map<String, Object> pid(String id) {
        return Map.of("service.pid", FileInstanceConfig.PID + "~" + id, "service.factoryPid", FileInstanceConfig.PID);
    }

    private ConfiguredFileInstance configured(String name, String dir, String id) throws PluginException {
        return new ConfiguredFileInstance(config(name, dir), pid(id), paths(), this::register);
    }

    @Test
    void aConfiguredPluginRanksAboveTheBuiltIn() {
        assertThat(ConfiguredFileInstance.CONFIGURED_RANKING).isGreaterThan(DefaultFileInstance.BUILT_IN_RANKING);
    }

    @Test
    void theDefaultIsInstanceFileInInfrakitHomeInstancesPreparedOnFirstUse() throws Exception {
        Path dir = tmp.resolve("home").resolve("instances");
        DefaultFileInstance def = builtIn(new DefaultFileInstance(paths(), () -> stopping));
        assertThat(def.dir()).isEqualTo(dir);
        assertThat(dir).doesNotExist();
        assertThat(def.describeInstances(null, false)).isEmpty();
        assertThat(dir).isDirectory();
        def.deactivate();
        assertThatThrownBy(() -> def.describeInstances(null, false)).isInstanceOf(PluginException.class)
                .hasMessage("file instance plugin instance-file is stopped");
    }

    @Test
    void withoutInfrakitHomeTheDefaultIsUnderTheUsersHome() {
        DefaultFileInstance def = new DefaultFileInstance(InfrakitPaths.resolve(p -> null, Map.of(), tmp.toString()),
                () -> false);
        assertThat(def.dir()).isEqualTo(tmp.resolve(".infrakit").resolve("instances"));
    }

    @Test
    void theFrameworkPropertyInfrakitHomePlacesTheDefaultAndEmptyDirs() throws Exception {
        Path home = tmp.resolve("embedded");
        BundleContext context = bundleContext(Map.of(InfrakitPaths.HOME_PROPERTY, home.toString()));
        DefaultFileInstance def = builtIn(new DefaultFileInstance(context));
        assertThat(def.dir()).isEqualTo(home.resolve("instances"));
        ConfiguredFileInstance other = new ConfiguredFileInstance(config("other", ""), pid("other"), context);
        assertThat(servingDir("other")).isEqualTo(home.resolve("instances"));
        assertThat(home.resolve("instances")).isDirectory();
        other.deactivate();
        assertThat(names()).containsExactly("instance-file");
        def.deactivate();
    }

    /**
     * A factory configuration whose {@code name} is misspelt ({@code nme}) has no name: it must not
     * take the built-in plugin's place (deleting it would then orphan what it made elsewhere).
     */
    @Test
    void aConfigurationWithoutNameIsRefusedInOneLineAndTheDefaultKeepsServing() throws Exception {
        DefaultFileInstance builtIn = builtIn(new DefaultFileInstance(paths(), () -> stopping));
        Path elsewhere = tmp.resolve("elsewhere");
        Map<String, Object> fromFile = Map.of("service.pid", FileInstanceConfig.PID + "~typo",
                "service.factoryPid", FileInstanceConfig.PID, "nme", "instance-file",
                "felix.fileinstall.filename", tmp.resolve("deploy").resolve("org.infrakit.instance.file-typo.cfg")
                        .toUri().toString());
        try (LogCapture log = new LogCapture(ConfiguredFileInstance.class)) {
            ConfiguredFileInstance nameless = new ConfiguredFileInstance(config(null, elsewhere.toString()),
                    fromFile, paths(), this::register);
            assertThat(live).hasSize(1);
            assertThat(serving("instance-file")).isSameAs(builtIn);
            assertThat(elsewhere).doesNotExist();
            assertThat(log.lines()).containsExactly("ERROR " + tmp.resolve("deploy")
                    .resolve("org.infrakit.instance.file-typo.cfg") + ": refused, a configuration of "
                    + "org.infrakit.instance.file must name its plugin (name = <plugin name>); nothing is started "
                    + "and the built-in instance-file keeps serving");

            nameless.deactivate(); // the file deleted: nothing changes
            assertThat(serving("instance-file")).isSameAs(builtIn);
        }
        ConfiguredFileInstance blank = configured(" ", "", "blank");
        assertThat(serving("instance-file")).isSameAs(builtIn);
        blank.deactivate();
        builtIn.deactivate();
    }

    @Test
    void theDefaultDirectoryIsNotPreparedWhileAConfigurationReplacesTheDefault() throws Exception {
        Path defaultDir = tmp.resolve("home").resolve("instances");
        ConfiguredFileInstance moved = configured("instance-file", tmp.resolve("moved").toString(), "moved");
        DefaultFileInstance def = builtIn(new DefaultFileInstance(paths(), () -> stopping));
        assertThat(servingDir("instance-file")).isEqualTo(tmp.resolve("moved"));
        assertThat(defaultDir).doesNotExist();

        moved.deactivate(); // the default takes over: its directory is made when it is first used
        assertThat(serving("instance-file")).isSameAs(def);
        assertThat(defaultDir).doesNotExist();
        serving("instance-file").describeInstances(null, false);
        assertThat(defaultDir).isDirectory();
        def.deactivate();
    }

    @Test
    void aDefaultDirectoryThatCannotBeMadeFailsEachCallWithTheReasonLoggedOnce() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        DefaultFileInstance def = builtIn(new DefaultFileInstance(
                InfrakitPaths.resolve(p -> null, Map.of("INFRAKIT_HOME", file.toString()), "/x"), () -> false));
        try (LogCapture log = new LogCapture(DefaultFileInstance.class)) {
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> def.provision(InstanceSpec.of(null, Map.of(), "", null, null)))
                        .isInstanceOf(PluginException.class)
                        .hasMessageStartingWith("cannot create instance directory " + file.resolve("instances"));
            }
            assertThat(log.lines()).singleElement().asString()
                    .startsWith("ERROR File instance plugin instance-file cannot serve: cannot create instance "
                            + "directory " + file.resolve("instances"));
        }
        def.deactivate();
    }

    /** While the bundle stops, the default may serve for a moment after the configuration went: it makes nothing. */
    @Test
    void whileTheBundleStopsTheDefaultRefusesCallsInPlaceOfAConfiguration() throws Exception {
        Path defaultDir = tmp.resolve("home").resolve("instances");
        DefaultFileInstance def = builtIn(new DefaultFileInstance(paths(), () -> stopping));
        ConfiguredFileInstance moved = configured("instance-file", tmp.resolve("moved").toString(), "moved");
        assertThat(servingDir("instance-file")).isEqualTo(tmp.resolve("moved"));
        stopping = true;
        moved.deactivate();
        assertThat(serving("instance-file")).isSameAs(def);
        assertThatThrownBy(() -> serving("instance-file").provision(InstanceSpec.of(null, Map.of(), "", null, null)))
                .isInstanceOf(PluginException.class).hasMessage("file instance plugin instance-file is stopped");
        def.deactivate();
        assertThat(defaultDir).doesNotExist();
    }

    @Test
    void configurationsAddNamedPluginsWithTheirOwnDirectoriesAndDeletingOneRemovesOnlyIt() throws Exception {
        builtIn(new DefaultFileInstance(paths(), () -> stopping));
        ConfiguredFileInstance another = configured("another-file", tmp.resolve("another").toString(), "another");
        configured("third-file", tmp.resolve("third").toString(), "third");
        assertThat(names()).containsExactly("another-file", "instance-file", "third-file");

        String id = serving("another-file").provision(InstanceSpec.of(null, Map.of(), "", null, null));
        assertThat(tmp.resolve("another").resolve(id)).exists();
        assertThat(serving("instance-file").describeInstances(null, false)).isEmpty();

        another.deactivate();
        assertThat(names()).containsExactly("instance-file", "third-file");
        assertThat(tmp.resolve("another").resolve(id)).exists(); // instances are not touched
    }

    @Test
    void anEmptyDirMeansTheDefaultDirectory() throws Exception {
        configured("other", "", "other");
        assertThat(servingDir("other")).isEqualTo(tmp.resolve("home").resolve("instances"));
    }

    @Test
    void aConfigurationNamedInstanceFileReplacesTheDefaultUntilDeleted() throws Exception {
        DefaultFileInstance def = builtIn(new DefaultFileInstance(paths(), () -> stopping));
        ConfiguredFileInstance moved = configured("instance-file", tmp.resolve("tutorial").toString(), "tutorial");
        assertThat(names()).containsExactly("instance-file");
        assertThat(servingDir("instance-file")).isEqualTo(tmp.resolve("tutorial"));

        moved.deactivate();
        assertThat(serving("instance-file")).isSameAs(def);
        assertThat(servingDir("instance-file")).isEqualTo(tmp.resolve("home").resolve("instances"));
    }

    @Test
    void ofTwoConfigurationsWithTheSameNameTheOlderServesUntilDeleted() throws Exception {
        ConfiguredFileInstance first = configured("dup", tmp.resolve("one").toString(), "one");
        configured("dup", tmp.resolve("two").toString(), "two");
        assertThat(servingDir("dup")).isEqualTo(tmp.resolve("one"));
        first.deactivate();
        assertThat(servingDir("dup")).isEqualTo(tmp.resolve("two"));
    }

    @Test
    void anUnusableDirectoryFailsActivationAndRegistersNothing() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertThatThrownBy(() -> configured("broken", file.toString(), "broken"))
                .isInstanceOf(PluginException.class)
                .hasMessage("configuration " + FileInstanceConfig.PID + "~broken: instance directory " + file
                        + " is not a directory");
        assertThat(live).isEmpty();
    }

    @Test
    void anInvalidNameFailsActivationAndTouchesNothing() {
        for (String bad : new String[] {"a/b", "..", "x\u0000y"}) {
            assertThatThrownBy(() -> configured(bad, tmp.resolve("never").toString(), "bad"))
                    .isInstanceOf(PluginException.class)
                    .hasMessageStartingWith("configuration " + FileInstanceConfig.PID + "~bad: plugin name");
        }
        assertThat(live).isEmpty();
        assertThat(tmp.resolve("never")).doesNotExist();
    }
}
