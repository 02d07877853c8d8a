package org.infrakit.itest;

import static org.infrakit.itest.ItBundles.bundleOf;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.infrakit.launch.ExternalPlugin;
import org.infrakit.launch.ExternalPlugins;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginProperties;
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
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationListener;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The deploy folder: Apache Felix FileInstall watching a directory (polled every 100 ms), with the
 * plugin bundles running and the runtime's home in the framework property {@code infrakit.home}.
 * A {@code .cfg} file dropped there configures a plugin, a changed one reconfigures it, a deleted
 * one withdraws it; a plugin bundle jar dropped there is installed and started and its socket
 * answers, deleting the jar uninstalls it; a bad {@code .cfg} breaks only the plugin it configures; a
 * launcher {@code .cfg} starts an external plugin process, whose socket is imported, and deleting
 * it stops the process.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DeployFolderIT {
    private static final String IMPLEMENTS = "{\"jsonrpc\":\"2.0\",\"method\":\"Plugin.Implements\",\"params\":{},\"id\":1}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path home;
    private static Path deploy;
    private static Path plugins;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin cm;

    @Configuration
    public Option[] configuration() throws IOException {
        Path root = TempDirs.create("deploy");
        Path folder = Files.createDirectory(root.resolve("deploy"));
        return ItBundles.runtime(
                frameworkProperty("infrakit.home").value(root.toString()),
                frameworkProperty("felix.fileinstall.dir").value(folder.toString()),
                frameworkProperty("felix.fileinstall.poll").value("100"),
                frameworkProperty("felix.fileinstall.noInitialDelay").value("true"),
                // as the runtime: the .cfg files are never written back
                frameworkProperty("felix.fileinstall.enableConfigSave").value("false"),
                bundleOf("org.infrakit.rpc"),
                bundleOf("org.infrakit.instance.file"),
                bundleOf("org.infrakit.flavor.vanilla"),
                bundleOf("org.infrakit.group"),
                bundleOf("org.infrakit.launch"),
                bundleOf("org.apache.felix.fileinstall"));
    }

    @Before
    public void awaitThePlugins() {
        if (home == null) {
            home = Path.of(context.getProperty("infrakit.home"));
            deploy = Path.of(context.getProperty("felix.fileinstall.dir"));
            plugins = home.resolve("plugins");
        }
        for (String name : List.of("instance-file", "flavor-vanilla", "group")) {
            awaitAnswer(name);
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    public void aCfgFileConfiguresReconfiguresAndWithdrawsAFileInstancePlugin() throws Exception {
        Path first = home.resolve("b-first");
        Path second = home.resolve("b-second");
        Path cfg = deploy.resolve("org.infrakit.instance.file-b.cfg");

        drop(cfg, "name=instance-file-b\ndir=" + first + "\n");
        awaitAnswer("instance-file-b");
        String one = provision("instance-file-b");
        assertEquals(List.of(one), TempDirs.names(first));

        // a changed dir: the plugin is restarted on the new directory
        awaitConfigurationEvents();
        drop(cfg, "name=instance-file-b\ndir=" + second + "\n");
        Poll.until("the plugin made its new directory " + second, () -> Files.isDirectory(second));
        awaitAnswer("instance-file-b");
        String two = provision("instance-file-b");
        assertEquals(List.of(two), TempDirs.names(second));
        assertEquals("nothing more in the old directory", List.of(one), TempDirs.names(first));

        // deleting the file withdraws the plugin and its socket; the built-in one stays
        Files.delete(cfg);
        awaitNoSocket("instance-file-b");
        awaitAnswer("instance-file");
        assertEquals("the instances are left alone", List.of(two), TempDirs.names(second));
    }

    @Test
    public void aPluginBundleJarDroppedInIsStartedAndServedAndDeletingItRemovesIt() throws Exception {
        assertFalse("the example is not part of the framework", exampleBundle().isPresent());
        Path jar = deploy.resolve("org.infrakit.example.flavor.jar");

        drop(jar, ItBundles.jarOf("org.infrakit.example.flavor"));
        String answer = awaitAnswer("flavor-example");
        assertEquals("{\"jsonrpc\":\"2.0\",\"result\":{\"Interfaces\":[{\"Name\":\"Flavor\",\"Version\":\"0.1.0\"}]},\"id\":1}\n",
                answer);
        assertEquals(Bundle.ACTIVE, exampleBundle().orElseThrow().getState());
        JsonNode validated = JSON.readTree(UnixHttp.call(plugins.resolve("flavor-example"),
                "{\"jsonrpc\":\"2.0\",\"method\":\"Flavor.Validate\",\"params\":{\"Type\":\"\",\"Properties\":{},"
                        + "\"Allocation\":{\"Size\":1}},\"id\":2}"));
        assertTrue(validated.toString(), validated.at("/result/OK").asBoolean());

        Files.delete(jar);
        awaitNoSocket("flavor-example");
        Poll.until("the example bundle is uninstalled", () -> exampleBundle().isEmpty());
        awaitAnswer("flavor-vanilla");
    }

    @Test
    public void aBadCfgBreaksOnlyThePluginItConfigures() throws Exception {
        Path cfg = deploy.resolve("org.infrakit.group.cfg");
        drop(cfg, "poll.interval=0\n");
        // the group plugin does not start with a zero poll interval: its socket goes
        awaitNoSocket("group");
        for (String name : List.of("instance-file", "flavor-vanilla")) {
            assertTrue(name + " still answers", UnixHttp.call(plugins.resolve(name), IMPLEMENTS).contains("\"result\""));
        }

        // fixed, the group plugin comes back
        awaitConfigurationEvents();
        drop(cfg, "poll.interval=1s\n");
        awaitAnswer("group");

        // deleted, the configuration goes and the plugin runs on its defaults
        Files.delete(cfg);
        Poll.until("the configuration org.infrakit.group is deleted",
                () -> cm.listConfigurations("(service.pid=org.infrakit.group)") == null);
        awaitAnswer("group");
    }

    @Test
    public void aLauncherCfgFileStartsThePythonPluginAndDeletingItStopsIt() throws Exception {
        Path cfg = deploy.resolve("org.infrakit.launch-py-deployed.cfg");
        List<String> argv = new ArrayList<>(PythonPlugin.command());
        argv.addAll(List.of("--name", "py-deployed"));
        // plain values only (one plain value makes FileInstall read typed ones as raw strings), the
        // command one line split like a shell would, ${...} expanded by FileInstall
        drop(cfg, "# the Python plugin of the tests, declared as the launcher's README shows\n"
                + "name = py-deployed\n"
                + "command = " + argv.stream().map(DeployFolderIT::shellQuoted).collect(Collectors.joining(" ")) + "\n"
                + "directory = ${infrakit.home}\n"
                + "start.timeout = 10s\n"
                + "backoff.initial = 100ms\n"
                + "stop.grace = 2s\n");

        ExternalPlugins launcher = Osgi.awaitService(context, ExternalPlugins.class, null);
        ExternalPlugin running = Poll.until("py-deployed is RUNNING", () -> launcher.get("py-deployed"),
                p -> p.isPresent() && p.get().state() == ExternalPlugin.State.RUNNING).get();
        long pid = running.pid();
        assertEquals("the command line split into its words", argv, running.command());
        assertEquals("the directory, expanded by FileInstall", home.toRealPath(),
                Path.of("/proc", String.valueOf(pid), "cwd").toRealPath());

        String filter = "(&(" + PluginProperties.NAME + "=py-deployed)(" + PluginProperties.IMPORTED + "=true))";
        ServiceReference<InstancePlugin> ref = Osgi.awaitOne(context, InstancePlugin.class, filter);
        assertEquals(plugins.resolve("py-deployed").toString(), ref.getProperty(PluginProperties.SOCKET));
        InstancePlugin proxy = context.getService(ref);
        assertEquals("the launched process answers the call", "py-" + pid + "-1",
                proxy.provision(InstanceSpec.of(null, Map.of(), "", null, null)));

        Files.delete(cfg);
        Poll.until("process " + pid + " is gone", () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        Osgi.awaitNone(context, InstancePlugin.class, filter);
        awaitNoSocket("py-deployed");
        Poll.until("the launcher no longer lists py-deployed", () -> launcher.get("py-deployed"), Optional::isEmpty);
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * Puts a file into the deploy folder in one step (written next to it under a name FileInstall
     * ignores, then renamed), so that FileInstall never reads half of it.
     */
    private static void drop(Path target, String text) throws IOException {
        Path tmp = home.resolve(target.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void drop(Path target, java.io.File source) throws IOException {
        Path tmp = home.resolve(target.getFileName() + ".tmp");
        Files.copy(source.toPath(), tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * One word of a {@code .cfg} command line: single-quoted, so that blanks and {@code $} stay
     * literal; a {@code '} inside is written {@code '\''}, with the backslash doubled because the
     * properties format reads one as an escape.
     */
    private static String shellQuoted(String word) {
        return "'" + word.replace("'", "'\\\\''") + "'";
    }

    /**
     * Waits until ConfigAdmin has delivered every configuration event fired so far. Call it before
     * changing a {@code .cfg} file again: FileInstall answers an update event by writing the
     * configuration, as ConfigAdmin then holds it, back into the file when the two differ, so a
     * file changed before that event is delivered gets the old values back and the change is lost.
     * Felix ConfigAdmin delivers the events in order on one thread: once an event of a
     * configuration of the test's own arrives, the earlier ones have been handled.
     */
    private void awaitConfigurationEvents() throws Exception {
        String pid = "org.infrakit.itest.barrier";
        CountDownLatch delivered = new CountDownLatch(1);
        ServiceRegistration<ConfigurationListener> listener = context.registerService(ConfigurationListener.class,
                event -> {
                    if (pid.equals(event.getPid())) {
                        delivered.countDown();
                    }
                }, null);
        try {
            org.osgi.service.cm.Configuration barrier = Osgi.configure(cm, pid, "at", System.nanoTime());
            assertTrue("ConfigAdmin delivered its events",
                    delivered.await(Poll.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
            Osgi.delete(barrier);
        } finally {
            listener.unregister();
        }
    }

    /** Waits until the plugin's socket answers Plugin.Implements; returns the answer. */
    private static String awaitAnswer(String name) {
        Path socket = plugins.resolve(name);
        return Poll.until("the socket " + socket + " answers", () -> UnixHttp.call(socket, IMPLEMENTS),
                a -> a.contains("\"result\""));
    }

    private static void awaitNoSocket(String name) {
        Path socket = plugins.resolve(name);
        Poll.until("the socket file " + socket + " is removed", () -> !Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
    }

    /** Provisions one instance over the plugin's socket; returns its ID. */
    private static String provision(String name) throws IOException {
        JsonNode answer = JSON.readTree(UnixHttp.call(plugins.resolve(name),
                "{\"jsonrpc\":\"2.0\",\"method\":\"Instance.Provision\",\"params\":{\"Type\":\"\",\"Spec\":"
                        + "{\"Properties\":{\"n\":1},\"Tags\":{\"it\":\"deploy\"}}},\"id\":1}"));
        String id = answer.at("/result/ID").asText();
        assertFalse("no ID in " + answer, id.isEmpty());
        return id;
    }

    private Optional<Bundle> exampleBundle() {
        return Arrays.stream(context.getBundles())
                .filter(b -> "org.infrakit.example.flavor".equals(b.getSymbolicName()))
                .findFirst();
    }
}
