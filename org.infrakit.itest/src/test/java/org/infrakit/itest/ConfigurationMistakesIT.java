package org.infrakit.itest;

import static org.infrakit.itest.ItBundles.bundleOf;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

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
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationListener;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * Configuration mistakes in the deploy folder are never silent: FileInstall run with the
 * runtime's own launch properties (read from {@code cnf/ext/runtime.bndrun.bnd}), the plugin
 * bundles, the diagnostics bundle and Felix MetaType. An unknown key is one warning naming the
 * file and the key meant, once per change; a value of the wrong type or format is a clear line,
 * not a silent default; a factory configuration without {@code name} is refused and the built-in
 * plugin keeps serving; a {@code .cfg} is read as UTF-8.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConfigurationMistakesIT {
    private static final String IMPLEMENTS = "{\"jsonrpc\":\"2.0\",\"method\":\"Plugin.Implements\",\"params\":{},\"id\":1}";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOGBACK = "1.6.6";

    private static Path home;
    private static Path deploy;
    private static Path plugins;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin cm;

    private ListAppender<ILoggingEvent> log;

    @Configuration
    public Option[] configuration() throws IOException {
        Path root = TempDirs.create("mistakes");
        Path folder = Files.createDirectory(root.resolve("deploy"));
        List<Option> options = new ArrayList<>();
        options.add(frameworkProperty("infrakit.home").value(root.toString()));
        // FileInstall as the runtime runs it (its encoding above all), on this test's folder
        for (Map.Entry<String, String> p : RuntimeProperties.withPrefix("felix.fileinstall.").entrySet()) {
            if (!p.getKey().equals("felix.fileinstall.dir")) {
                options.add(frameworkProperty(p.getKey()).value(p.getValue()));
            }
        }
        options.add(frameworkProperty("felix.fileinstall.dir").value(folder.toString()));
        options.addAll(List.of(bundleOf("org.infrakit.rpc"), bundleOf("org.infrakit.instance.file"),
                bundleOf("org.infrakit.flavor.vanilla"), bundleOf("org.infrakit.group"),
                bundleOf("org.apache.felix.log"), bundleOf("org.apache.felix.metatype"),
                bundleOf("org.infrakit.diagnostics"), bundleOf("org.apache.felix.fileinstall"),
                // the test reads the log lines from Logback, which the bundles log to through SLF4J
                systemPackages("ch.qos.logback.classic;version=" + LOGBACK,
                        "ch.qos.logback.classic.spi;version=" + LOGBACK, "ch.qos.logback.core;version=" + LOGBACK,
                        "ch.qos.logback.core.read;version=" + LOGBACK)));
        return ItBundles.runtime(options.toArray(new Option[0]));
    }

    @Before
    public void setUp() {
        if (home == null) {
            home = Path.of(context.getProperty("infrakit.home"));
            deploy = Path.of(context.getProperty("felix.fileinstall.dir"));
            plugins = home.resolve("plugins");
        }
        for (String name : List.of("instance-file", "flavor-vanilla", "group")) {
            awaitAnswer(name);
        }
        log = new ListAppender<>();
        log.start();
        root().addAppender(log);
    }

    @After
    public void tearDown() {
        root().detachAppender(log);
        log.stop();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    public void anUnknownKeyIsWarnedAboutOnceWithTheKeyMeant() throws Exception {
        Path cfg = deploy.resolve("org.infrakit.group.cfg");
        drop(cfg, "poll_interval = 5s\n");
        String expected = cfg + ": unknown key 'poll_interval' ignored (did you mean poll.interval?)";
        awaitLine("WARN " + expected);

        // the same file seen again, and another configuration changed: nothing more is said about it
        Files.setLastModifiedTime(cfg, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        awaitConfigurationEvents();
        Path other = deploy.resolve("org.infrakit.flavor.vanilla-other.cfg");
        drop(other, "name = flavor-other\n");
        awaitAnswer("flavor-other");
        awaitConfigurationEvents();
        assertEquals(List.of("WARN " + expected), lines(expected));

        // a PID nobody declares is named with the one meant
        Path typo = deploy.resolve("org.infrakit.gruop.cfg");
        drop(typo, "poll.interval = 5s\n");
        awaitLine("WARN " + typo + ": no installed bundle has a configuration org.infrakit.gruop; it is not used "
                + "(did you mean org.infrakit.group?)");

        for (Path p : List.of(cfg, other, typo)) {
            Files.delete(p);
        }
        awaitNoSocket("flavor-other");
        Poll.until("the configuration org.infrakit.group is deleted",
                () -> cm.listConfigurations("(service.pid=org.infrakit.group)") == null);
    }

    @Test
    public void aValueOfTheWrongTypeOrFormatIsAClearLineNotASilentDefault() throws Exception {
        Path cfg = deploy.resolve("org.infrakit.group.cfg");
        drop(cfg, "parallelism = many\n");
        awaitLine("WARN " + cfg + ": invalid value 'many' for key 'parallelism' (invalid value; expected a whole "
                + "number: How many instances of one group are created or destroyed at the same time)");

        // a duration that does not parse: the group plugin says so, and does not run on a default
        awaitConfigurationEvents();
        drop(cfg, "poll.interval = 5 seconds\n");
        awaitLine("ERROR The group plugin is not started: Invalid poll.interval \"5 seconds\": time: unknown unit "
                + "\" seconds\" in duration \"5 seconds\" (a Go duration such as 10s, 500ms or 1m30s)");
        awaitNoSocket("group");

        awaitConfigurationEvents();
        Files.delete(cfg);
        Poll.until("the configuration org.infrakit.group is deleted",
                () -> cm.listConfigurations("(service.pid=org.infrakit.group)") == null);
        awaitAnswer("group");
    }

    /**
     * A file plugin configuration whose {@code name} is misspelt used to replace the built-in
     * {@code instance-file} (the name defaulted to it) and store elsewhere; deleting it orphaned
     * what it had made there.
     */
    @Test
    public void aFactoryConfigurationWithoutNameIsRefusedAndTheBuiltInKeepsServing() throws Exception {
        Path cfg = deploy.resolve("org.infrakit.instance.file-typo.cfg");
        Path elsewhere = home.resolve("elsewhere");
        drop(cfg, "nme = instance-file\ndir = " + elsewhere + "\n");
        awaitLine("ERROR " + cfg + ": refused, a configuration of org.infrakit.instance.file must name its plugin "
                + "(name = <plugin name>); nothing is started and the built-in instance-file keeps serving");
        awaitLine("WARN " + cfg + ": unknown key 'nme' ignored (did you mean name?)");

        String id = provision("instance-file");
        assertTrue("the built-in plugin made " + id, Files.exists(home.resolve("instances").resolve(id)));
        assertFalse(Files.exists(elsewhere));

        Files.delete(cfg);
        awaitConfigurationEvents();
        assertTrue(Files.exists(home.resolve("instances").resolve(id)));
        assertTrue(UnixHttp.call(plugins.resolve("instance-file"), IMPLEMENTS).contains("\"result\""));
        destroy("instance-file", id);
    }

    @Test
    public void aCfgFileIsReadAsUtf8() throws Exception {
        Path cfg = deploy.resolve("org.infrakit.instance.file-utf.cfg");
        Path straße = home.resolve("straße");
        drop(cfg, "name = instance-utf\ndir = " + straße + "\n");
        awaitAnswer("instance-utf");
        String id = provision("instance-utf");
        assertTrue("the instance is in " + straße, Files.exists(straße.resolve(id)));
        try (var names = Files.list(home)) {
            assertEquals("no directory under a mangled name", List.of(),
                    names.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("stra") && !n.equals("straße"))
                            .toList());
        }
        Files.delete(cfg);
        awaitNoSocket("instance-utf");
    }

    // ---------------------------------------------------------------------------------------------

    private List<String> lines(String containing) {
        synchronized (log.list) {
            return log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .map(e -> e.getLevel() + " " + e.getFormattedMessage()).filter(l -> l.contains(containing))
                    .toList();
        }
    }

    private void awaitLine(String line) {
        Poll.until("the log line: " + line, () -> lines(line), l -> l.contains(line));
    }

    private static void drop(Path target, String text) throws IOException {
        Path tmp = home.resolve(target.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** As {@code DeployFolderIT}: waits until ConfigAdmin has delivered every configuration event fired so far. */
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

    private static String awaitAnswer(String name) {
        Path socket = plugins.resolve(name);
        return Poll.until("the socket " + socket + " answers", () -> UnixHttp.call(socket, IMPLEMENTS),
                a -> a.contains("\"result\""));
    }

    private static void awaitNoSocket(String name) {
        Path socket = plugins.resolve(name);
        Poll.until("the socket file " + socket + " is removed", () -> !Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
    }

    private static String provision(String name) throws IOException {
        JsonNode answer = JSON.readTree(UnixHttp.call(plugins.resolve(name),
                "{\"jsonrpc\":\"2.0\",\"method\":\"Instance.Provision\",\"params\":{\"Type\":\"\",\"Spec\":"
                        + "{\"Properties\":{},\"Tags\":{\"it\":\"mistakes\"}}},\"id\":1}"));
        String id = answer.at("/result/ID").asText();
        assertFalse("no ID in " + answer, id.isEmpty());
        return id;
    }

    private static void destroy(String name, String id) throws IOException {
        String answer = UnixHttp.call(plugins.resolve(name), "{\"jsonrpc\":\"2.0\",\"method\":\"Instance.Destroy\","
                + "\"params\":{\"Type\":\"\",\"Instance\":\"" + id + "\"},\"id\":1}");
        assertTrue(answer, answer.contains("\"result\""));
    }
}
