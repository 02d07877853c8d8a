package org.infrakit.instance.file.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.infrakit.spi.InfrakitPaths;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

/** The DS components, constructed by hand as SCR would construct them. */
class FileInstanceComponentsTest {
    @TempDir
    Path tmp;

    private final Map<String, InstancePlugin> live = new LinkedHashMap<>();
    private boolean stopping;
    private final FileInstanceServices services = new FileInstanceServices((name, plugin) -> {
        assertThat(live).as("two services named " + name).doesNotContainKey(name);
        live.put(name, plugin);
        return () -> live.remove(name);
    }, () -> stopping);

    private InfrakitPaths paths() {
        return InfrakitPaths.resolve(p -> null, Map.of("INFRAKIT_HOME", tmp.resolve("home").toString()),
                "/nonexistent-home");
    }

    /** A bundle context that answers framework properties from a map and nothing else. */
    private static BundleContext bundleContext(Map<String, String> properties) {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty")) {
                        return properties.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
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
        return new ConfiguredFileInstance(services, config(name, dir), pid(id), paths());
    }

    private FileInstancePlugin served(String name) {
        return (FileInstancePlugin) live.get(name);
    }

    @Test
    void theDefaultIsInstanceFileInInfrakitHomeInstances() throws Exception {
        DefaultFileInstance def = new DefaultFileInstance(services, paths());
        assertThat(live).containsOnlyKeys("instance-file");
        assertThat(served("instance-file").dir()).isEqualTo(tmp.resolve("home").resolve("instances"));
        assertThat(tmp.resolve("home").resolve("instances")).isDirectory();
        def.deactivate();
        assertThat(live).isEmpty();
    }

    @Test
    void withoutInfrakitHomeTheDefaultIsUnderTheUsersHome() throws Exception {
        new DefaultFileInstance(services, InfrakitPaths.resolve(p -> null, Map.of(), tmp.toString()));
        assertThat(served("instance-file").dir()).isEqualTo(tmp.resolve(".infrakit").resolve("instances"));
    }

    @Test
    void theFrameworkPropertyInfrakitHomePlacesTheDefaultAndEmptyDirs() throws Exception {
        Path home = tmp.resolve("embedded");
        BundleContext context = bundleContext(Map.of(InfrakitPaths.HOME_PROPERTY, home.toString()));
        DefaultFileInstance def = new DefaultFileInstance(services, context);
        assertThat(served("instance-file").dir()).isEqualTo(home.resolve("instances"));
        assertThat(home.resolve("instances")).isDirectory();
        ConfiguredFileInstance other = new ConfiguredFileInstance(services, config("other", ""), pid("other"), context);
        assertThat(served("other").dir()).isEqualTo(home.resolve("instances"));
        other.deactivate();
        def.deactivate();
    }

    /**
     * A factory configuration whose {@code name} is misspelt ({@code nme}) has no name: it must not
     * take the built-in plugin's place (deleting it would then orphan what it made elsewhere).
     */
    @Test
    void aConfigurationWithoutNameIsRefusedInOneLineAndTheDefaultKeepsServing() throws Exception {
        DefaultFileInstance def = new DefaultFileInstance(services, paths());
        FileInstancePlugin builtIn = served("instance-file");
        Path elsewhere = tmp.resolve("elsewhere");
        Map<String, Object> fromFile = Map.of("service.pid", FileInstanceConfig.PID + "~typo",
                "service.factoryPid", FileInstanceConfig.PID, "nme", "instance-file",
                "felix.fileinstall.filename", tmp.resolve("deploy").resolve("org.infrakit.instance.file-typo.cfg")
                        .toUri().toString());
        try (LogCapture log = new LogCapture(ConfiguredFileInstance.class)) {
            ConfiguredFileInstance nameless = new ConfiguredFileInstance(services, config(null, elsewhere.toString()),
                    fromFile, paths());
            assertThat(live).containsOnlyKeys("instance-file");
            assertThat(served("instance-file")).isSameAs(builtIn);
            assertThat(elsewhere).doesNotExist();
            assertThat(log.lines()).containsExactly("ERROR " + tmp.resolve("deploy")
                    .resolve("org.infrakit.instance.file-typo.cfg") + ": refused, a configuration of "
                    + "org.infrakit.instance.file must name its plugin (name = <plugin name>); nothing is started "
                    + "and the built-in instance-file keeps serving");

            nameless.deactivate(); // the file deleted: nothing changes
            assertThat(served("instance-file")).isSameAs(builtIn);
        }
        ConfiguredFileInstance blank = configured(" ", "", "blank");
        assertThat(served("instance-file")).isSameAs(builtIn);
        blank.deactivate();
        def.deactivate();
    }

    @Test
    void theDefaultDirectoryIsNotPreparedWhileAConfigurationReplacesTheDefault() throws Exception {
        Path defaultDir = tmp.resolve("home").resolve("instances");
        ConfiguredFileInstance moved = configured("instance-file", tmp.resolve("moved").toString(), "moved");
        DefaultFileInstance def = new DefaultFileInstance(services, paths());
        assertThat(served("instance-file").dir()).isEqualTo(tmp.resolve("moved"));
        assertThat(defaultDir).doesNotExist();

        moved.deactivate(); // the default takes over: now its directory is made
        assertThat(served("instance-file").dir()).isEqualTo(defaultDir);
        assertThat(defaultDir).isDirectory();
        def.deactivate();
        assertThat(live).isEmpty();
    }

    @Test
    void aDefaultDirectoryThatCannotBeMadeAtTakeOverLeavesTheNameUnserved() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        ConfiguredFileInstance moved = configured("instance-file", tmp.resolve("moved").toString(), "moved");
        DefaultFileInstance def = new DefaultFileInstance(services,
                InfrakitPaths.resolve(p -> null, Map.of("INFRAKIT_HOME", file.toString()), "/x"));
        moved.deactivate();
        assertThat(live).isEmpty();
        def.deactivate();
    }

    @Test
    void whenTheBundleStopsTheDefaultIsNotPublishedInPlaceOfAConfiguration() throws Exception {
        DefaultFileInstance def = new DefaultFileInstance(services, paths());
        ConfiguredFileInstance moved = configured("instance-file", tmp.resolve("moved").toString(), "moved");
        assertThat(served("instance-file").dir()).isEqualTo(tmp.resolve("moved"));
        stopping = true;
        moved.deactivate();
        assertThat(live).isEmpty();
        def.deactivate();
        services.deactivate();
        assertThat(live).isEmpty();
    }

    @Test
    void configurationsAddNamedPluginsWithTheirOwnDirectoriesAndDeletingOneRemovesOnlyIt() throws Exception {
        new DefaultFileInstance(services, paths());
        ConfiguredFileInstance another = configured("another-file", tmp.resolve("another").toString(), "another");
        configured("third-file", tmp.resolve("third").toString(), "third");
        assertThat(live).containsOnlyKeys("instance-file", "another-file", "third-file");

        String id = served("another-file").provision(InstanceSpec.of(null, Map.of(), "", null, null));
        assertThat(tmp.resolve("another").resolve(id)).exists();
        assertThat(served("instance-file").describeInstances(null, false)).isEmpty();

        another.deactivate();
        assertThat(live).containsOnlyKeys("instance-file", "third-file");
        assertThat(tmp.resolve("another").resolve(id)).exists(); // instances are not touched
    }

    @Test
    void anEmptyDirMeansTheDefaultDirectory() throws Exception {
        configured("other", "", "other");
        assertThat(served("other").dir()).isEqualTo(tmp.resolve("home").resolve("instances"));
    }

    @Test
    void aConfigurationNamedInstanceFileReplacesTheDefaultUntilDeleted() throws Exception {
        new DefaultFileInstance(services, paths());
        ConfiguredFileInstance moved = configured("instance-file", tmp.resolve("tutorial").toString(), "tutorial");
        assertThat(live).containsOnlyKeys("instance-file");
        assertThat(served("instance-file").dir()).isEqualTo(tmp.resolve("tutorial"));

        moved.deactivate();
        assertThat(live).containsOnlyKeys("instance-file");
        assertThat(served("instance-file").dir()).isEqualTo(tmp.resolve("home").resolve("instances"));
    }

    @Test
    void aSecondConfigurationWithTheSameNameWaitsUntilTheFirstIsDeleted() throws Exception {
        ConfiguredFileInstance first = configured("dup", tmp.resolve("one").toString(), "one");
        configured("dup", tmp.resolve("two").toString(), "two");
        assertThat(served("dup").dir()).isEqualTo(tmp.resolve("one"));
        first.deactivate();
        assertThat(served("dup").dir()).isEqualTo(tmp.resolve("two"));
    }

    @Test
    void anUnusableDirectoryFailsActivationAndRegistersNothing() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertThatThrownBy(() -> configured("broken", file.toString(), "broken"))
                .isInstanceOf(PluginException.class)
                .hasMessage("configuration " + FileInstanceConfig.PID + "~broken: instance directory " + file
                        + " is not a directory");
        assertThatThrownBy(() -> new DefaultFileInstance(services,
                InfrakitPaths.resolve(p -> null, Map.of("INFRAKIT_HOME", file.toString()), "/x")))
                .isInstanceOf(PluginException.class)
                .hasMessageStartingWith("cannot create instance directory " + file.resolve("instances"));
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

    @Test
    void deactivatingTheServicesWithdrawsEverything() throws Exception {
        new DefaultFileInstance(services, paths());
        configured("another-file", tmp.resolve("another").toString(), "another");
        services.deactivate();
        assertThat(live).isEmpty();
    }
}
