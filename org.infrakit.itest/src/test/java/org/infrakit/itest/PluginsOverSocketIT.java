package org.infrakit.itest;

import static org.infrakit.itest.ItBundles.bundleOf;
import static org.infrakit.itest.ItBundles.dormant;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.infrakit.testsupport.GoldenVectors;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every instance, flavor and group golden vector (and the handshakes) replayed over the real
 * sockets of the real bundles in Felix: {@code instance-file} (a factory configuration with its
 * own directory), the built-in {@code flavor-vanilla} and the default {@code group}, exported by
 * the RPC bridge. Preconditions are set up as the golden README says, through the sockets and the
 * instance directory. Also: each factory configuration of the file plugin, and of the vanilla flavor,
 * is a socket of its own.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PluginsOverSocketIT {
    private static final String RPC = "org.infrakit.rpc";
    private static final String FILE = "org.infrakit.instance.file";
    private static final String GROUP = "org.infrakit.group";
    /** The ID of the golden instance file, {@code golden/files/<ID>}. */
    private static final String GOLDEN_ID = "instance-4582464082013813178";
    /** The random instance IDs of the file plugin: {@code instance-<63-bit decimal>}. */
    private static final Pattern INSTANCE_ID = Pattern.compile("instance-[0-9]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path plugins;
    /** The instance-file plugin's directory; named like the reference's {@code --dir tutorial}. */
    private static Path tutorial;
    private static Path home;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin cm;

    @Configuration
    public Option[] configuration() {
        return ItBundles.runtime(
                bundleOf("org.infrakit.flavor.vanilla"),
                dormant(RPC),
                dormant(FILE),
                dormant(GROUP));
    }

    @Before
    public void startThePlugins() throws IOException {
        if (plugins == null) {
            home = TempDirs.create("golden");
            plugins = home.resolve("plugins");
            tutorial = home.resolve("tutorial");
            Osgi.configure(cm, "org.infrakit.rpc", "plugins.dir", plugins.toString(), "scan.interval", "200ms");
            Osgi.configureFactory(cm, "org.infrakit.instance.file", "tutorial", "name", "instance-file",
                    "dir", tutorial.toString());
            // a long poll interval: a pass runs on a commit, and the tests decide when the next one does
            Osgi.configure(cm, "org.infrakit.group", "poll.interval", "1m", "update.poll.interval", "50ms",
                    "state.dir", home.resolve("groups").toString());
            Osgi.start(context, RPC, FILE, GROUP);
        }
        for (String name : List.of("instance-file", "flavor-vanilla", "group")) {
            Path socket = plugins.resolve(name);
            Poll.until("the socket " + socket + " answers", () -> UnixHttp.call(socket, GoldenVectors.request(
                    name.equals("group") ? "plugin.Implements.group" : "handshake.Implements." + name)), a -> true);
        }
        // the configured instance-file, not the built-in default, holds the name: it works in tutorial/
        String missing = GoldenVectors.response("instance.Destroy.missing").replace("remove tutorial/", "remove " + tutorial + "/");
        Poll.until("instance-file works in " + tutorial, () -> call("instance-file",
                GoldenVectors.request("instance.Destroy.missing")), missing::equals);
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    public void handshakeVectors() throws IOException {
        List<String> stems = new ArrayList<>(GoldenVectors.stems("handshake."));
        stems.addAll(GoldenVectors.stems("plugin."));
        assertEquals("handshake vectors in " + GoldenVectors.dir(), 6, stems.size());
        for (String stem : stems) {
            String target = stem.startsWith("plugin.") ? "group" : stem.substring(stem.lastIndexOf('.') + 1);
            assertExact(target, stem);
        }
    }

    @Test
    public void flavorVectors() throws IOException {
        List<String> stems = GoldenVectors.stems("flavor.");
        assertEquals("flavor vectors in " + GoldenVectors.dir(), 7, stems.size());
        for (String stem : stems) {
            assertExact("flavor-vanilla", stem);
        }
    }

    @Test
    public void instanceVectors() throws IOException {
        Set<String> replayed = new TreeSet<>();
        TempDirs.clear(tutorial);
        Path golden = tutorial.resolve(GOLDEN_ID);
        Files.copy(GoldenVectors.dir().resolve("files").resolve(GOLDEN_ID), golden);

        for (String stem : List.of("instance.Validate.ok", "instance.Validate.unknown-type")) {
            replayed.add(assertExact("instance-file", stem));
        }
        replayed.add(assertCodeAndData("instance-file", "instance.Validate.not-an-object"));

        // the file put there by hand is seen by the very next call
        for (String stem : List.of("instance.DescribeInstances.group", "instance.DescribeInstances.properties",
                "instance.DescribeInstances.no-match")) {
            replayed.add(assertExact("instance-file", stem));
        }

        replayed.add(assertExact("instance-file", "instance.Label.ok"));
        String labelled = call("instance-file", GoldenVectors.request("instance.DescribeInstances.group"));
        assertTrue(labelled, labelled.contains("\"Tags\":{\"infrakit.config_sha\":\"x4nrsdaibscmj7awpkxzx5vvpt6pilw2\","
                + "\"infrakit.group\":\"cattle\",\"label1\":\"changed1\",\"label3\":\"value3\",\"project\":\"infrakit\","
                + "\"tier\":\"web\"}"));

        replayed.add(assertExact("instance-file", "instance.Destroy.ok"));
        assertFalse("Destroy removed the file", Files.exists(golden, LinkOption.NOFOLLOW_LINKS));

        // the message embeds the plugin's directory, here an absolute one instead of "tutorial"
        String missing = "instance.Destroy.missing";
        assertEquals(missing, GoldenVectors.response(missing).replace("remove tutorial/", "remove " + tutorial + "/"),
                call("instance-file", GoldenVectors.request(missing)));
        replayed.add(missing);

        // random ID: compared structurally; the file written is the reference's, byte for byte
        String provision = "instance.Provision.cattle";
        String reply = call("instance-file", GoldenVectors.request(provision));
        assertEquals(provision, anonymous(GoldenVectors.response(provision)), anonymous(reply));
        Matcher id = INSTANCE_ID.matcher(reply);
        assertTrue(reply, id.find());
        assertNotEquals("a random ID", GOLDEN_ID, id.group());
        assertEquals(List.of(id.group()), TempDirs.names(tutorial));
        assertEquals(GoldenVectors.read("files/" + GOLDEN_ID).replace(GOLDEN_ID, id.group()),
                Files.readString(tutorial.resolve(id.group()), StandardCharsets.UTF_8));
        replayed.add(provision);

        assertEquals("every instance vector is replayed", new TreeSet<>(GoldenVectors.stems("instance.")), replayed);
        TempDirs.clear(tutorial);
    }

    @Test
    public void groupVectors() throws IOException {
        Set<String> replayed = new TreeSet<>();
        TempDirs.clear(tutorial);
        Path groups = home.resolve("groups");

        replayed.add(assertExact("group", "group.InspectGroups.empty"));
        for (String bad : List.of("blank-id", "no-allocation", "null-properties", "both-allocations", "bad-plugin-name",
                "flavor-not-found", "instance-not-found")) {
            replayed.add(assertExact("group", "group.CommitGroup." + bad));
        }
        for (String stem : List.of("group.DescribeGroup.not-watched", "group.FreeGroup.not-watched",
                "group.DestroyGroup.not-watched")) {
            replayed.add(assertExact("group", stem));
        }

        // a dry run changes nothing
        replayed.add(assertExact("group", "group.CommitGroup.cattle-new-pretend"));
        assertExact("group", "group.DescribeGroup.not-watched");
        assertEquals(List.of(), TempDirs.names(tutorial));

        replayed.add(assertExact("group", "group.CommitGroup.cattle-new"));
        replayed.add(assertExact("group", "group.InspectGroups.after-commit"));
        awaitConverged(5);
        String converged = "group.DescribeGroup.converged";
        assertEquals(converged, anonymous(GoldenVectors.response(converged)), anonymous(call("group", GoldenVectors.request(converged))));
        replayed.add(converged);
        assertEquals(5, TempDirs.names(tutorial).size());

        // the commit's pass is over (it created the 5) and the next one is a minute away: the
        // instance directory emptied by hand is reported as it is, not converged
        TempDirs.clear(tutorial);
        replayed.add(assertExact("group", "group.DescribeGroup.empty"));

        replayed.add(assertExact("group", "group.FreeGroup.ok"));
        assertExact("group", "group.DescribeGroup.not-watched");
        assertEquals("FreeGroup removed the stored spec", List.of(), TempDirs.names(groups));

        // the precondition of the update vectors: cattle managed, its 5 members carry the cattle hash
        assertExact("group", "group.CommitGroup.cattle-new");
        awaitConverged(5);
        replayed.add(assertExact("group", "group.CommitGroup.cattle-same"));
        replayed.add(assertExact("group", "group.CommitGroup.cattle2-pretend"));
        replayed.add(assertExact("group", "group.CommitGroup.cattle2"));

        // DestroyGroup returns after every member is destroyed, even with a rolling update running
        replayed.add(assertExact("group", "group.DestroyGroup.ok"));
        assertEquals("instances left after DestroyGroup", List.of(), TempDirs.names(tutorial));
        assertExact("group", "group.DestroyGroup.not-watched");
        assertEquals("DestroyGroup removed the stored spec", List.of(), TempDirs.names(groups));

        assertEquals("every group vector is replayed", new TreeSet<>(GoldenVectors.stems("group.")), replayed);
    }

    @Test
    public void eachFactoryConfigurationOfTheFilePluginIsASocketOfItsOwn() throws IOException {
        Path second = home.resolve("second");
        Path third = home.resolve("third");
        org.osgi.service.cm.Configuration c2 = Osgi.configureFactory(cm, "org.infrakit.instance.file", "second",
                "name", "instance-second", "dir", second.toString());
        org.osgi.service.cm.Configuration c3 = Osgi.configureFactory(cm, "org.infrakit.instance.file", "third",
                "name", "instance-third", "dir", third.toString());
        String implementsInstance = GoldenVectors.response("handshake.Implements.instance-file");
        for (String name : List.of("instance-second", "instance-third")) {
            Path socket = plugins.resolve(name);
            assertEquals(implementsInstance, Poll.until("the socket " + socket + " answers",
                    () -> UnixHttp.call(socket, GoldenVectors.request("handshake.Implements.instance-file")), a -> true));
        }

        // each socket is its own plugin with its own directory
        TempDirs.clear(tutorial);
        call("instance-second", GoldenVectors.request("instance.Provision.cattle"));
        assertEquals(1, TempDirs.names(second).size());
        assertEquals(List.of(), TempDirs.names(third));
        assertEquals(List.of(), TempDirs.names(tutorial));

        Osgi.delete(c3);
        Path thirdSocket = plugins.resolve("instance-third");
        Poll.until("the socket " + thirdSocket + " is removed", () -> !Files.exists(thirdSocket, LinkOption.NOFOLLOW_LINKS));
        for (String name : List.of("instance-second", "instance-file")) {
            assertEquals(name + " still answers", implementsInstance,
                    call(name, GoldenVectors.request("handshake.Implements.instance-file")));
        }
        assertTrue(TempDirs.names(plugins).contains("instance-second"));

        Osgi.delete(c2);
        Path secondSocket = plugins.resolve("instance-second");
        Poll.until("the socket " + secondSocket + " is removed", () -> !Files.exists(secondSocket, LinkOption.NOFOLLOW_LINKS));
        assertEquals(implementsInstance, call("instance-file", GoldenVectors.request("handshake.Implements.instance-file")));
    }

    @Test
    public void aFactoryConfigurationOfTheVanillaFlavorIsASocketOfItsOwn() throws IOException {
        org.osgi.service.cm.Configuration french = Osgi.configureFactory(cm, "org.infrakit.flavor.vanilla", "french",
                "name", "french-vanilla");
        Path socket = plugins.resolve("french-vanilla");
        String implementsFlavor = GoldenVectors.response("handshake.Implements.flavor-vanilla");
        assertEquals(implementsFlavor, Poll.until("the socket " + socket + " answers",
                () -> UnixHttp.call(socket, GoldenVectors.request("handshake.Implements.flavor-vanilla")), a -> true));
        assertExact("french-vanilla", "flavor.Validate.ok");
        assertExact("french-vanilla", "flavor.Validate.unknown-type");

        Osgi.delete(french);
        Poll.until("the socket " + socket + " is removed", () -> !Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
        // the built-in flavor-vanilla, under another name than the configuration's, still answers
        assertExact("flavor-vanilla", "handshake.Implements.flavor-vanilla");
        assertExact("flavor-vanilla", "flavor.Validate.ok");
    }

    // ---------------------------------------------------------------------------------------------

    private static String call(String plugin, String request) throws IOException {
        return UnixHttp.call(plugins.resolve(plugin), request);
    }

    /** Replays a vector whose compare mode is exact; @return the stem */
    private static String assertExact(String plugin, String stem) throws IOException {
        assertEquals(stem, GoldenVectors.response(stem), call(plugin, GoldenVectors.request(stem)));
        return stem;
    }

    /** Replays a vector compared by error code, error data and id; the message must not be empty. */
    private static String assertCodeAndData(String plugin, String stem) throws IOException {
        JsonNode expected = JSON.readTree(GoldenVectors.response(stem));
        JsonNode actual = JSON.readTree(call(plugin, GoldenVectors.request(stem)));
        assertEquals(stem + " error.code", expected.at("/error/code"), actual.at("/error/code"));
        assertEquals(stem + " error.data", expected.at("/error/data"), actual.at("/error/data"));
        assertEquals(stem + " id", expected.get("id"), actual.get("id"));
        assertFalse(stem + " error.message is empty", actual.at("/error/message").asText().isEmpty());
        return stem;
    }

    /** The text with every random instance ID replaced by one placeholder. */
    private static String anonymous(String text) {
        return INSTANCE_ID.matcher(text).replaceAll("instance-ID");
    }

    private static void awaitConverged(int size) {
        Poll.until("group cattle has converged with " + size + " instances",
                () -> JSON.readTree(call("group", GoldenVectors.request("group.DescribeGroup.converged"))),
                d -> d.at("/result/Description/Converged").asBoolean()
                        && d.at("/result/Description/Instances").size() == size);
    }
}
