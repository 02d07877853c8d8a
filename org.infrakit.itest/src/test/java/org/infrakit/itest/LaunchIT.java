package org.infrakit.itest;

import static org.infrakit.itest.ItBundles.bundleOf;
import static org.infrakit.itest.ItBundles.dormant;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;

import org.infrakit.launch.ExternalPlugin;
import org.infrakit.launch.ExternalPlugins;
import org.infrakit.rpc.BridgeStatus;
import org.infrakit.rpc.PluginProblem;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginProperties;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * External plugin processes in Felix: a factory configuration {@code org.infrakit.launch} for the
 * Python plugin of the tests starts it; the RPC bridge imports its socket as a service and a call
 * through the proxy reaches that very process; {@link ExternalPlugins} reports it; a process
 * killed with SIGKILL is restarted, and while it waits out its back-off its service is gone and a
 * proxy taken earlier fails fast; deleting the configuration stops it and its service goes away.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LaunchIT {
    private static final String RPC = "org.infrakit.rpc";
    private static final String LAUNCH = "org.infrakit.launch";

    private static Path home;
    private static Path plugins;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin cm;

    private final List<org.osgi.service.cm.Configuration> descriptors = new ArrayList<>();

    @Configuration
    public Option[] configuration() {
        return ItBundles.runtime(dormant(RPC), dormant(LAUNCH),
                bundleOf("org.apache.felix.gogo.runtime"),
                bundleOf("picocli"), bundleOf("org.infrakit.shell"));
    }

    @Before
    public void startTheRuntime() {
        if (plugins == null) {
            home = TempDirs.create("launch");
            plugins = home.resolve("plugins");
            Osgi.configure(cm, "org.infrakit.rpc", "plugins.dir", plugins.toString(), "scan.interval", "200ms",
                    "probe.timeout", "1000ms", "call.timeout", "3000ms");
            Osgi.configure(cm, "org.infrakit.launch.runtime", "plugins.dir", plugins.toString(), "home", home.toString());
            Osgi.start(context, RPC, LAUNCH);
        }
        Osgi.awaitOne(context, ExternalPlugins.class, null);
    }

    @After
    public void removeDescriptors() {
        descriptors.forEach(Osgi::delete);
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    public void aDescriptorStartsThePluginItsSocketIsImportedAndDeletingItStopsThePlugin() throws Exception {
        org.osgi.service.cm.Configuration descriptor = declare("py-launched");
        ExternalPlugins launcher = Osgi.awaitService(context, ExternalPlugins.class, null);

        ExternalPlugin running = awaitState(launcher, "py-launched", ExternalPlugin.State.RUNNING);
        long pid = running.pid();
        assertTrue("pid " + pid, pid > 0);
        assertTrue("process " + pid + " is alive", ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertEquals(command("py-launched"), running.command());
        assertEquals(0, running.restarts());
        // the launcher hands the plugin its directories
        String environ = new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "environ")),
                StandardCharsets.UTF_8);
        List<String> env = Arrays.asList(environ.split("\0"));
        assertTrue(env.toString(), env.contains("INFRAKIT_HOME=" + home));
        assertTrue(env.toString(), env.contains("INFRAKIT_PLUGINS_DIR=" + plugins));

        // recorded for a later runtime, which must not start it twice
        Path record = home.resolve("launch").resolve("py-launched.json");
        Poll.until("the launch record names pid " + pid, () -> Files.readString(record, StandardCharsets.UTF_8),
                text -> text.contains("\"pid\":" + pid + ","));

        String filter = "(&(" + PluginProperties.NAME + "=py-launched)(" + PluginProperties.IMPORTED + "=true))";
        ServiceReference<InstancePlugin> ref = Osgi.awaitOne(context, InstancePlugin.class, filter);
        assertEquals(plugins.resolve("py-launched").toString(), ref.getProperty(PluginProperties.SOCKET));
        InstancePlugin proxy = context.getService(ref);
        assertEquals("the launched process answers the call", "py-" + pid + "-1",
                proxy.provision(InstanceSpec.of(null, Map.of("by", "launch"), "", null, null)));
        assertEquals(1, proxy.describeInstances(Map.of("by", "launch"), false).size());

        // the shell shows the process behind the imported service
        String listing = Gogo.run(context, "infrakit:plugins");
        assertTrue(listing, listing.lines().anyMatch(l -> l.startsWith("py-launched ") && l.contains("Instance/0.6.0")
                && l.contains("external (RUNNING, pid " + pid)));

        descriptors.remove(descriptor);
        Osgi.delete(descriptor);

        Poll.until("process " + pid + " is gone", () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        Osgi.awaitNone(context, InstancePlugin.class, filter);
        Path socket = plugins.resolve("py-launched");
        Poll.until("the socket file " + socket + " is removed", () -> !Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
        Poll.until("the launcher no longer lists py-launched", () -> launcher.get("py-launched"), Optional::isEmpty);
        Poll.until("the launch record " + record + " is removed", () -> !Files.exists(record));
    }

    @Test
    public void aPluginKilledWithSigkillIsRestartedAndItsServiceComesBack() throws Exception {
        declare("py-phoenix");
        ExternalPlugins launcher = Osgi.awaitService(context, ExternalPlugins.class, null);
        String filter = "(&(" + PluginProperties.NAME + "=py-phoenix)(" + PluginProperties.IMPORTED + "=true))";
        long first = awaitState(launcher, "py-phoenix", ExternalPlugin.State.RUNNING).pid();
        Osgi.awaitOne(context, InstancePlugin.class, filter);

        ProcessHandle.of(first).orElseThrow().destroyForcibly();

        ExternalPlugin again = Poll.until("py-phoenix runs again in a new process", () -> launcher.get("py-phoenix"),
                p -> p.isPresent() && p.get().state() == ExternalPlugin.State.RUNNING && p.get().pid() != first).get();
        assertNotEquals(first, again.pid());
        assertEquals(1, again.restarts());
        assertEquals("killed by signal 9", Integer.valueOf(128 + 9), again.lastExitCode());

        InstancePlugin proxy = Poll.until("the restarted plugin answers through its service",
                () -> context.getService(Osgi.awaitOne(context, InstancePlugin.class, filter)),
                p -> probe(p, again.pid()));
        assertEquals("py-" + again.pid() + "-2",
                proxy.provision(InstanceSpec.of(null, Map.of(), "", null, null)));
    }

    @Test
    public void aPluginSpeakingAnotherVersionRunsButIsRefusedInWordsAndNotImported() throws Exception {
        declare("py-old", "--api-version", "0.5.0");
        ExternalPlugins launcher = Osgi.awaitService(context, ExternalPlugins.class, null);
        awaitState(launcher, "py-old", ExternalPlugin.State.RUNNING);
        BridgeStatus bridge = Osgi.awaitService(context, BridgeStatus.class, null);

        PluginProblem problem = Poll.until("the bridge reports py-old as not imported",
                () -> bridge.notImported().stream().filter(p -> p.name().equals("py-old")).findFirst(),
                Optional::isPresent).get();
        assertTrue(problem.reason(), problem.reason().contains("Instance/0.5.0"));
        assertTrue(problem.reason(), problem.reason().contains("Instance/0.6.0"));
        assertEquals(plugins.resolve("py-old"), problem.socket());
        String filter = "(" + PluginProperties.NAME + "=py-old)";
        assertEquals(null, context.getServiceReferences(InstancePlugin.class.getName(), filter));
    }

    @Test
    public void whileAKilledPluginWaitsOutItsBackOffItsServiceIsGoneAndAnEarlierProxyFailsFast() throws Exception {
        Duration backoff = Duration.ofSeconds(3);
        declareWithBackoff("py-slow", backoff.toSeconds() + "s");
        ExternalPlugins launcher = Osgi.awaitService(context, ExternalPlugins.class, null);
        String named = "(" + PluginProperties.NAME + "=py-slow)";
        String filter = "(&" + named + "(" + PluginProperties.IMPORTED + "=true))";
        long first = awaitState(launcher, "py-slow", ExternalPlugin.State.RUNNING).pid();
        InstancePlugin earlier = context.getService(Osgi.awaitOne(context, InstancePlugin.class, filter));
        assertEquals("py-" + first + "-1", earlier.provision(InstanceSpec.of(null, Map.of(), "", null, null)));

        long killed = System.nanoTime();
        ProcessHandle.of(first).orElseThrow().destroyForcibly();

        ExternalPlugin down = awaitState(launcher, "py-slow", ExternalPlugin.State.RESTARTING);
        assertEquals("killed by signal 9", Integer.valueOf(128 + 9), down.lastExitCode());
        Poll.until("no service of any type is named py-slow",
                () -> context.getServiceReferences((String) null, named) == null);

        long start = System.nanoTime();
        try {
            earlier.describeInstances(Map.of(), false);
            fail("a call through the proxy of a plugin that is down must fail");
        } catch (ServiceException e) {
            assertEquals(ServiceException.REMOTE, e.getType());
        }
        long tookMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue("the call to a plugin that is down took " + tookMs + " ms", tookMs < 2000);
        assertEquals("all of the above happened while it was down", ExternalPlugin.State.RESTARTING,
                launcher.get("py-slow").orElseThrow().state());

        ExternalPlugin again = Poll.until("py-slow runs again in a new process", () -> launcher.get("py-slow"),
                p -> p.isPresent() && p.get().state() == ExternalPlugin.State.RUNNING && p.get().pid() != first).get();
        long downMs = Duration.ofNanos(System.nanoTime() - killed).toMillis();
        assertTrue("restarted " + downMs + " ms after the kill, before the back-off of " + backoff,
                downMs >= backoff.toMillis());
        InstancePlugin fresh = Poll.until("the restarted plugin answers through a new proxy",
                () -> context.getService(Osgi.awaitOne(context, InstancePlugin.class, filter)),
                p -> probe(p, again.pid()));
        assertEquals("py-" + again.pid() + "-2", fresh.provision(InstanceSpec.of(null, Map.of(), "", null, null)));

        // the proxy of the withdrawn import stays closed: it does not reach the new process
        try {
            earlier.describeInstances(Map.of(), false);
            fail("the proxy of a withdrawn import must stay closed");
        } catch (ServiceException e) {
            assertEquals(ServiceException.REMOTE, e.getType());
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static List<String> command(String name, String... extra) {
        List<String> argv = new ArrayList<>(PythonPlugin.command());
        argv.add("--name");
        argv.add(name);
        argv.addAll(Arrays.asList(extra));
        return argv;
    }

    /** Declares the Python plugin under a name: one factory configuration, as a deploy/*.cfg would. */
    private org.osgi.service.cm.Configuration declare(String name, String... extra) {
        return declareWithBackoff(name, "100ms", extra);
    }

    /** {@link #declare(String, String...)} with the delay before its first restart ({@code backoff.initial}). */
    private org.osgi.service.cm.Configuration declareWithBackoff(String name, String backoffInitial, String... extra) {
        org.osgi.service.cm.Configuration c = Osgi.configureFactory(cm, "org.infrakit.launch", name,
                "name", name,
                "command", command(name, extra).toArray(new String[0]),
                "start.timeout", "10s",
                "backoff.initial", backoffInitial,
                "stop.grace", "2s");
        descriptors.add(c);
        return c;
    }

    private static ExternalPlugin awaitState(ExternalPlugins launcher, String name, ExternalPlugin.State state) {
        return Poll.until(name + " is " + state, () -> launcher.get(name),
                p -> p.isPresent() && p.get().state() == state).get();
    }

    /** Whether a call through the proxy reaches the process with that pid (provisions one instance). */
    private static boolean probe(InstancePlugin proxy, long pid) {
        try {
            String id = proxy.provision(InstanceSpec.of(null, Map.of(), "", null, null));
            if (!id.startsWith("py-" + pid + "-")) {
                throw new AssertionError("answered by another process: " + id);
            }
            return true;
        } catch (RuntimeException | org.infrakit.spi.PluginException e) {
            return false;
        }
    }
}
