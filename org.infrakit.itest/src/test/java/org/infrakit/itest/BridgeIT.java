package org.infrakit.itest;

import static org.infrakit.itest.ItBundles.bundleOf;
import static org.infrakit.itest.ItBundles.dormant;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.infrakit.rpc.BridgeStatus;
import org.infrakit.rpc.ExportedPlugin;
import org.infrakit.rpc.ImportedPlugin;
import org.infrakit.spi.DestroyContext;
import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.GroupDescription;
import org.infrakit.spi.GroupPlugin;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginProperties;
import org.infrakit.spi.RawJson;
import org.infrakit.testsupport.GoldenVectors;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The RPC bridge inside Felix: a plugin service registered by this test bundle is served on a
 * real unix socket; a socket served by a Python process outside the framework is imported as a
 * service; either side going away cleans up, and so does a plugin bundle that stops or is updated;
 * {@link BridgeStatus} and the shell show both sides.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BridgeIT {
    private static final String RPC = "org.infrakit.rpc";
    /** A plugin bundle: its built-in {@code flavor-vanilla} and one factory configuration, {@code flavor-bridge}. */
    private static final String VANILLA = "org.infrakit.flavor.vanilla";
    private static final Set<String> VANILLA_SOCKETS = Set.of("flavor-bridge", "flavor-vanilla");
    /** The seed document's handshake and its answer for a group plugin (departures D1), byte for byte. */
    private static final String PLUGIN_IMPLEMENTS =
            "{\"jsonrpc\":\"2.0\",\"method\":\"Plugin.Implements\",\"params\":{},\"id\":1}";
    private static final String GROUP_IMPLEMENTS =
            "{\"jsonrpc\":\"2.0\",\"result\":{\"Interfaces\":[{\"Name\":\"Group\",\"Version\":\"0.1.0\"}]},\"id\":1}\n";
    private static final String FLAVOR_IMPLEMENTS =
            "{\"jsonrpc\":\"2.0\",\"result\":{\"Interfaces\":[{\"Name\":\"Flavor\",\"Version\":\"0.1.0\"}]},\"id\":1}\n";

    /** The plugins directory of this framework (one per class: PerClass). */
    private static Path plugins;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin cm;

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final List<PythonPlugin> processes = new ArrayList<>();

    @Configuration
    public Option[] configuration() {
        return ItBundles.runtime(
                dormant(RPC),
                // the shell imports the launcher's status API; installed only, it exports that
                // package without starting any process
                dormant("org.infrakit.launch"),
                bundleOf("org.apache.felix.gogo.runtime"),
                bundleOf("picocli"), bundleOf("org.infrakit.shell"),
                bundleOf(VANILLA));
    }

    @Before
    public void startTheBridge() {
        if (plugins == null) {
            plugins = TempDirs.create("bridge").resolve("plugins");
            Osgi.configure(cm, "org.infrakit.rpc",
                    "plugins.dir", plugins.toString(),
                    "scan.interval", "200ms",
                    "probe.timeout", "1000ms",
                    "call.timeout", "3000ms",
                    "stop.timeout", "1000ms");
            Osgi.configureFactory(cm, VANILLA, "bridge", "name", "flavor-bridge");
            Osgi.start(context, RPC);
        }
        Poll.until("the bridge serves " + plugins, () -> status().pluginsDir(), plugins::equals);
    }

    @After
    public void cleanUp() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // unregistered by the test
            }
        }
        processes.forEach(PythonPlugin::close);
        // a test that failed with the plugin bundle stopped must not fail the next ones too
        Bundle vanilla = Osgi.bundle(context, VANILLA);
        if (vanilla.getState() != Bundle.ACTIVE) {
            Osgi.start(context, VANILLA);
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    public void aPluginServiceOfATestBundleIsServedOnItsOwnSocket() throws Exception {
        register(GroupPlugin.class, new TestGroupPlugin(), "it-group");
        Path socket = plugins.resolve("it-group");

        String answer = Poll.until("the socket " + socket + " answers Plugin.Implements",
                () -> UnixHttp.call(socket, PLUGIN_IMPLEMENTS), a -> true);
        assertEquals(GROUP_IMPLEMENTS, answer);

        // the calls reach this bundle's object: its answer and its exception
        assertEquals("{\"jsonrpc\":\"2.0\",\"result\":{\"Groups\":[{\"ID\":\"from-the-test\",\"Properties\":{\"n\":1}}]},\"id\":7}\n",
                UnixHttp.call(socket, "{\"jsonrpc\":\"2.0\",\"method\":\"Group.InspectGroups\",\"params\":{},\"id\":7}"));
        assertEquals("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":\"the test plugin knows no group 'x'\","
                + "\"data\":null},\"id\":8}\n",
                UnixHttp.call(socket, "{\"jsonrpc\":\"2.0\",\"method\":\"Group.DescribeGroup\",\"params\":{\"ID\":\"x\"},\"id\":8}"));

        // D4: the directory is private, the socket too
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(plugins)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
    }

    @Test
    public void theSeedsCurlCommandWorksVerbatim() throws Exception {
        register(GroupPlugin.class, new TestGroupPlugin(), "it-curl");
        Path socket = plugins.resolve("it-curl");
        Poll.until("the socket " + socket + " answers", () -> UnixHttp.call(socket, PLUGIN_IMPLEMENTS), a -> true);

        Process curl = new ProcessBuilder("curl", "-sS", "-X", "POST", "--unix-socket", socket.toString(), "http://rpc",
                "-H", "Content-Type: application/json", "-d", PLUGIN_IMPLEMENTS).redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("curl did not finish", curl.waitFor(10, TimeUnit.SECONDS));
        assertEquals("curl's output: " + out, 0, curl.exitValue());
        assertEquals(GROUP_IMPLEMENTS, out);
    }

    @Test
    public void unregisteringTheServiceRemovesItsSocket() throws Exception {
        ServiceRegistration<?> r = register(GroupPlugin.class, new TestGroupPlugin(), "it-gone");
        Path socket = plugins.resolve("it-gone");
        Poll.until("the socket " + socket + " answers", () -> UnixHttp.call(socket, PLUGIN_IMPLEMENTS), a -> true);
        assertTrue(exportedNames().contains("it-gone"));

        r.unregister();

        Poll.until("the socket file " + socket + " is removed", () -> !Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
        Poll.until("BridgeStatus no longer lists it-gone", () -> !exportedNames().contains("it-gone"));
    }

    @Test
    public void aForeignSocketIsImportedAndACallThroughTheProxyReachesTheProcess() throws Exception {
        PythonPlugin python = python("py-foreign");
        String filter = "(&(" + PluginProperties.NAME + "=py-foreign)(" + PluginProperties.IMPORTED + "=true))";

        ServiceReference<InstancePlugin> ref = Osgi.awaitOne(context, InstancePlugin.class, filter);
        assertEquals(python.socket().toString(), ref.getProperty(PluginProperties.SOCKET));
        assertEquals("the proxy is registered by the bridge", RPC, ref.getBundle().getSymbolicName());
        InstancePlugin proxy = context.getService(ref);

        String id = proxy.provision(InstanceSpec.of(RawJson.of("{\"size\":1}"), Map.of("it", "bridge"), "", null, null));
        assertEquals("the ID names the process that made it", "py-" + python.pid() + "-1", id);
        List<InstanceDescription> described = proxy.describeInstances(Map.of("it", "bridge"), false);
        assertEquals(1, described.size());
        assertEquals(id, described.get(0).id());
        assertEquals(Map.of("it", "bridge"), described.get(0).tags());
        proxy.destroy(id, DestroyContext.TERMINATING);
        assertEquals(List.of(), proxy.describeInstances(Map.of("it", "bridge"), false));
        try {
            proxy.destroy(id, DestroyContext.TERMINATING);
            fail("destroying a missing instance must fail");
        } catch (PluginException e) {
            assertEquals("no such instance: " + id, e.getMessage());
        }

        // no loop: the imported service is not served again by this runtime
        assertFalse(exportedNames().contains("py-foreign"));

        // SIGKILL: the socket file stays behind, nobody answers on it
        python.kill();
        Osgi.awaitNone(context, InstancePlugin.class, filter);
        Poll.until("BridgeStatus no longer lists py-foreign as imported",
                () -> status().imported().stream().noneMatch(p -> p.name().equals("py-foreign")));

        // the proxy a caller still holds fails fast with a transport error, it does not hang
        long start = System.nanoTime();
        try {
            proxy.describeInstances(Map.of(), false);
            fail("a call to a dead plugin must fail");
        } catch (ServiceException e) {
            assertEquals(ServiceException.REMOTE, e.getType());
        }
        long tookMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue("the call to a dead plugin took " + tookMs + " ms (call timeout 3000 ms)", tookMs < 4000);
    }

    @Test
    public void aRestartedForeignProcessIsImportedAgain() throws Exception {
        PythonPlugin first = python("py-again");
        String filter = "(&(" + PluginProperties.NAME + "=py-again)(" + PluginProperties.IMPORTED + "=true))";
        Osgi.awaitOne(context, InstancePlugin.class, filter);
        first.kill();
        Osgi.awaitNone(context, InstancePlugin.class, filter);

        PythonPlugin second = python("py-again");
        InstancePlugin proxy = context.getService(Osgi.awaitOne(context, InstancePlugin.class, filter));
        String id = proxy.provision(InstanceSpec.of(null, Map.of(), "", null, null));
        assertEquals("py-" + second.pid() + "-1", id);
    }

    @Test
    public void bridgeStatusAndTheShellListBothSides() throws Exception {
        register(GroupPlugin.class, new TestGroupPlugin(), "it-local");
        PythonPlugin python = python("it-foreign");

        ExportedPlugin local = Poll.until("BridgeStatus lists it-local as served",
                () -> status().exported().stream().filter(p -> p.name().equals("it-local")).findFirst(),
                Optional::isPresent).get();
        assertEquals(plugins.resolve("it-local"), local.socket());
        assertEquals(List.of("Group/0.1.0"), local.interfaces());
        assertEquals(null, local.problem());

        ImportedPlugin foreign = Poll.until("BridgeStatus lists it-foreign as imported",
                () -> status().imported().stream().filter(p -> p.name().equals("it-foreign")).findFirst(),
                Optional::isPresent).get();
        assertEquals(python.socket(), foreign.socket());
        assertEquals(List.of("Instance/0.6.0"), foreign.interfaces());
        assertEquals(List.of(), foreign.notSpoken());
        assertTrue("a served name is not imported: " + status().imported(),
                status().imported().stream().noneMatch(p -> p.name().equals("it-local")));

        String listing = Gogo.run(context, "infrakit:plugins");
        assertTrue(listing, listing.lines().anyMatch(l -> l.startsWith("it-foreign ") && l.contains("Instance/0.6.0")
                && l.contains(" " + python.socket() + " ") && l.contains(" imported")));
        assertTrue(listing, listing.lines().anyMatch(l -> l.startsWith("it-local ") && l.contains("Group/0.1.0")
                && l.contains(" " + plugins.resolve("it-local") + " ") && !l.contains(" imported")));
    }

    @Test
    public void stoppingTheBridgeBundleRemovesEverySocketItMadeAndStartingItServesThemAgain() throws Exception {
        register(GroupPlugin.class, new TestGroupPlugin(), "it-stop-group");
        register(InstancePlugin.class, new TestInstancePlugin(), "it-stop-instance");
        PythonPlugin python = python("it-stop-foreign");
        String importedFilter = "(" + PluginProperties.IMPORTED + "=true)";
        for (String name : List.of("it-stop-group", "it-stop-instance")) {
            Path socket = plugins.resolve(name);
            Poll.until("the socket " + socket + " answers", () -> UnixHttp.call(socket, PLUGIN_IMPLEMENTS), a -> true);
        }
        Osgi.awaitOne(context, InstancePlugin.class, "(&(" + PluginProperties.NAME + "=it-stop-foreign)" + importedFilter + ")");

        Bundle rpc = Osgi.bundle(context, RPC);
        rpc.stop();

        // synchronous: once stop() returns, the sockets the bridge made are gone
        List<String> left = TempDirs.names(plugins);
        assertFalse("left behind: " + left, left.contains("it-stop-group"));
        assertFalse("left behind: " + left, left.contains("it-stop-instance"));
        assertTrue("the foreign process's socket is not ours to remove: " + left, left.contains("it-stop-foreign"));
        assertEquals("imported services are gone with the bridge", List.of(),
                Osgi.references(context, InstancePlugin.class, importedFilter));
        assertEquals(List.of(), Osgi.references(context, BridgeStatus.class, null));
        assertTrue(python.isAlive());

        rpc.start();

        for (String name : List.of("it-stop-group", "it-stop-instance")) {
            Path socket = plugins.resolve(name);
            Poll.until("the socket " + socket + " answers again", () -> UnixHttp.call(socket, PLUGIN_IMPLEMENTS), a -> true);
        }
        Osgi.awaitOne(context, InstancePlugin.class, "(&(" + PluginProperties.NAME + "=it-stop-foreign)" + importedFilter + ")");
    }

    @Test
    public void stoppingAPluginBundleRemovesExactlyItsSocketsAndStartingItServesThemAgain() throws Exception {
        register(GroupPlugin.class, new TestGroupPlugin(), "it-neighbour");
        PythonPlugin python = python("it-neighbour-py");
        String importedFilter = "(&(" + PluginProperties.NAME + "=it-neighbour-py)(" + PluginProperties.IMPORTED + "=true))";
        Set<String> neighbours = Set.of("it-neighbour", "it-neighbour-py");
        Set<String> all = new TreeSet<>(VANILLA_SOCKETS);
        all.addAll(neighbours);
        Poll.until("the plugins directory holds exactly " + all, () -> Set.copyOf(TempDirs.names(plugins)), all::equals);
        for (String name : VANILLA_SOCKETS) {
            awaitAnswer(name, FLAVOR_IMPLEMENTS);
        }
        awaitAnswer("it-neighbour", GROUP_IMPLEMENTS);
        Object imported = Osgi.awaitOne(context, InstancePlugin.class, importedFilter).getProperty(Constants.SERVICE_ID);

        Bundle vanilla = Osgi.bundle(context, VANILLA);
        vanilla.stop();

        Poll.until("the plugins directory holds exactly " + neighbours, () -> Set.copyOf(TempDirs.names(plugins)),
                neighbours::equals);
        Poll.until("BridgeStatus no longer lists " + VANILLA_SOCKETS,
                () -> exportedNames().stream().noneMatch(VANILLA_SOCKETS::contains));
        assertEquals(GROUP_IMPLEMENTS, UnixHttp.call(plugins.resolve("it-neighbour"), PLUGIN_IMPLEMENTS));
        assertEquals("the import is left alone", imported,
                Osgi.awaitOne(context, InstancePlugin.class, importedFilter).getProperty(Constants.SERVICE_ID));
        assertTrue(python.isAlive());

        vanilla.start();

        Poll.until("the plugins directory holds exactly " + all, () -> Set.copyOf(TempDirs.names(plugins)), all::equals);
        for (String name : VANILLA_SOCKETS) {
            awaitAnswer(name, FLAVOR_IMPLEMENTS);
            assertEquals(GoldenVectors.response("flavor.Validate.ok"),
                    UnixHttp.call(plugins.resolve(name), GoldenVectors.request("flavor.Validate.ok")));
        }
        assertEquals(GROUP_IMPLEMENTS, UnixHttp.call(plugins.resolve("it-neighbour"), PLUGIN_IMPLEMENTS));
    }

    @Test
    public void updatingAPluginBundleFromItsOwnJarServesItsSocketsAgain() throws Exception {
        Bundle vanilla = Osgi.bundle(context, VANILLA);
        assertEquals("update() reads the bundle's location: its jar", ItBundles.jarOf(VANILLA).toURI().toString(),
                vanilla.getLocation());
        Map<String, Object> before = new TreeMap<>();
        for (String name : VANILLA_SOCKETS) {
            awaitAnswer(name, FLAVOR_IMPLEMENTS);
            before.put(name, flavorService(name).getProperty(Constants.SERVICE_ID));
        }

        vanilla.update();

        assertEquals("an active bundle is started again after its update", Bundle.ACTIVE, vanilla.getState());
        for (String name : VANILLA_SOCKETS) {
            ServiceReference<FlavorPlugin> now = Poll.until(name + " is registered again by the updated bundle",
                    () -> flavorService(name), r -> !before.get(name).equals(r.getProperty(Constants.SERVICE_ID)));
            assertEquals(vanilla, now.getBundle());
            awaitAnswer(name, FLAVOR_IMPLEMENTS);
            assertEquals(GoldenVectors.response("flavor.Validate.ok"),
                    UnixHttp.call(plugins.resolve(name), GoldenVectors.request("flavor.Validate.ok")));
        }
        assertTrue(TempDirs.names(plugins).containsAll(VANILLA_SOCKETS));
    }

    // ---------------------------------------------------------------------------------------------

    private BridgeStatus status() {
        return Osgi.awaitService(context, BridgeStatus.class, null);
    }

    /** Waits until the socket of that name answers Plugin.Implements with exactly {@code expected}. */
    private static void awaitAnswer(String name, String expected) {
        Path socket = plugins.resolve(name);
        Poll.until("the socket " + socket + " answers " + expected.trim(), () -> UnixHttp.call(socket, PLUGIN_IMPLEMENTS),
                expected::equals);
    }

    private ServiceReference<FlavorPlugin> flavorService(String name) {
        return Osgi.awaitOne(context, FlavorPlugin.class, "(" + PluginProperties.NAME + "=" + name + ")");
    }

    private List<String> exportedNames() {
        return status().exported().stream().map(ExportedPlugin::name).toList();
    }

    private <S> ServiceRegistration<S> register(Class<S> type, S service, String name) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(PluginProperties.NAME, name);
        ServiceRegistration<S> r = context.registerService(type, service, props);
        registrations.add(r);
        return r;
    }

    private PythonPlugin python(String name) throws IOException {
        PythonPlugin p = PythonPlugin.serve(plugins.resolve(name));
        processes.add(p);
        return p;
    }

    /** A group plugin that knows one fixed group and nothing else. */
    static final class TestGroupPlugin implements GroupPlugin {
        @Override
        public String commitGroup(GroupSpec spec, boolean pretend) throws PluginException {
            throw new PluginException("the test plugin commits nothing");
        }

        @Override
        public void freeGroup(String id) throws PluginException {
            throw new PluginException("the test plugin knows no group '" + id + "'");
        }

        @Override
        public GroupDescription describeGroup(String id) throws PluginException {
            throw new PluginException("the test plugin knows no group '" + id + "'");
        }

        @Override
        public void destroyGroup(String id) throws PluginException {
            throw new PluginException("the test plugin knows no group '" + id + "'");
        }

        @Override
        public List<GroupSpec> inspectGroups() {
            return List.of(new GroupSpec("from-the-test", RawJson.of("{\"n\":1}")));
        }
    }

    /** An instance plugin without instances. */
    static final class TestInstancePlugin implements InstancePlugin {
        @Override
        public void validate(RawJson properties) {
        }

        @Override
        public String provision(InstanceSpec spec) throws PluginException {
            throw new PluginException("the test plugin provisions nothing");
        }

        @Override
        public void label(String instance, Map<String, String> labels) throws PluginException {
            throw new PluginException("no instance " + instance);
        }

        @Override
        public void destroy(String instance, DestroyContext context) throws PluginException {
            throw new PluginException("no instance " + instance);
        }

        @Override
        public List<InstanceDescription> describeInstances(Map<String, String> tags, boolean properties) {
            return List.of();
        }
    }
}
