package org.infrakit.itest;

import static org.infrakit.itest.ItBundles.bundleOf;
import static org.infrakit.itest.ItBundles.dormant;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.inject.Inject;

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
 * The Gogo commands of scope {@code infrakit} in Felix, typed as a user at the console would,
 * against the real group, file instance and vanilla flavor bundles: their output, their JSON
 * output, their one-line errors and their help text. The runtime's home is the framework property
 * {@code infrakit.home}, a temporary directory, so the plugins' files ({@code instances},
 * {@code groups}, {@code plugins}) are all under it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellCommandsIT {
    private static final String GROUP = "org.infrakit.group";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path home;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin cm;

    @Configuration
    public Option[] configuration() {
        return ItBundles.runtime(
                frameworkProperty("infrakit.home").value(TempDirs.create("shell").toString()),
                bundleOf("org.infrakit.rpc"),
                bundleOf("org.infrakit.instance.file"),
                bundleOf("org.infrakit.flavor.vanilla"),
                dormant(GROUP),
                // the shell imports the launcher's status API optionally; installed only
                dormant("org.infrakit.launch"),
                bundleOf("org.apache.felix.gogo.runtime"),
                bundleOf("org.apache.felix.gogo.command"),
                bundleOf("picocli"), bundleOf("org.infrakit.shell"));
    }

    @Before
    public void startTheGroupPlugin() throws Exception {
        if (home == null) {
            home = Path.of(context.getProperty("infrakit.home"));
            Osgi.configure(cm, GROUP, "poll.interval", "300ms", "update.poll.interval", "50ms");
            Osgi.start(context, GROUP);
        }
        Poll.until("infrakit:group ls answers", () -> Gogo.execute(context, "infrakit:group ls"),
                o -> o.err().isEmpty() && o.out().startsWith("ID\n"));
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    public void groupCommitPretendDescribeInspectFreeAndDestroy() throws Exception {
        Path spec = write("web.json", groupSpec("web", 2));

        // pretend: says what it would do, commits nothing
        String pretend = Gogo.run(context, "infrakit:group commit " + spec + " --pretend");
        assertEquals("Committing web would involve: Managing 2 instances\n", pretend);
        assertEquals("[]\n", Gogo.run(context, "infrakit:group inspect --json"));
        assertEquals(List.of(), instanceFiles("web"));

        // for real
        assertEquals("Committed web: Managing 2 instances\n", Gogo.run(context, "infrakit:group commit " + spec));
        List<String> ids = Poll.until("group web has 2 instance files", () -> instanceFiles("web"), l -> l.size() == 2);

        // describe: the ID LOGICAL TAGS table with both instances
        String table = Poll.until("describe web lists 2 instances",
                () -> Gogo.run(context, "infrakit:group describe web"), t -> t.split("\n").length == 3);
        String[] lines = table.split("\n");
        assertEquals(List.of("ID", "LOGICAL", "TAGS"), List.of(lines[0].trim().split("\\s+")));
        Set<String> described = new TreeSet<>();
        for (int i = 1; i < lines.length; i++) {
            String[] cols = lines[i].split("\t");
            assertEquals(lines[i], 3, cols.length);
            described.add(cols[0].trim());
            assertEquals("  -   ", cols[1].substring(0, 6));
            assertTrue(lines[i], cols[2].contains("infrakit.group=web"));
            assertTrue(lines[i], cols[2].contains("tier=web"));
        }
        assertEquals(Set.copyOf(ids), described);
        assertEquals("-q leaves out the header", 2, Gogo.run(context, "infrakit:group describe web -q").split("\n").length);
        JsonNode description = JSON.readTree(Gogo.run(context, "infrakit:group describe web --json"));
        assertEquals(2, description.get("Instances").size());

        // inspect: the committed spec, indented; with --json one compact line
        String inspected = Gogo.run(context, "infrakit:group inspect");
        assertTrue(inspected, inspected.contains("\n  "));
        JsonNode all = JSON.readTree(inspected);
        assertEquals(1, all.size());
        assertEquals("web", all.get(0).get("ID").asText());
        assertEquals(2, all.get(0).at("/Properties/Allocation/Size").asInt());
        String one = Gogo.run(context, "infrakit:group inspect web --json");
        assertEquals("one line of JSON: " + one, 1, one.split("\n").length);
        assertEquals("instance-file", JSON.readTree(one).at("/Properties/Instance/Plugin").asText());
        assertEquals("ID\nweb\n", Gogo.run(context, "infrakit:group ls"));

        // free: the group is forgotten, its instances stay
        assertEquals("Freed web\n", Gogo.run(context, "infrakit:group free web"));
        assertEquals("[]\n", Gogo.run(context, "infrakit:group ls --json"));
        assertEquals(ids, instanceFiles("web"));
        Gogo.Outcome notWatched = Gogo.execute(context, "infrakit:group describe web");
        assertOneLineError(notWatched, "web");

        // committed again it adopts them; destroy removes them
        assertEquals("Committed web: Managing 2 instances\n", Gogo.run(context, "infrakit:group commit " + spec));
        Poll.until("describe web lists 2 instances again",
                () -> Gogo.run(context, "infrakit:group describe web -q").split("\n").length, n -> n == 2);
        assertEquals(ids, instanceFiles("web"));
        JsonNode destroyed = JSON.readTree(Gogo.run(context, "infrakit:group destroy web --json"));
        assertEquals("web", destroyed.get("ID").asText());
        assertTrue(destroyed.get("OK").asBoolean());
        Poll.until("the instances of web are destroyed", () -> instanceFiles("web"), List::isEmpty);
        assertEquals("ID\n", Gogo.run(context, "infrakit:group ls"));
    }

    @Test
    public void instanceProvisionDescribeByTagsAndDestroy() throws Exception {
        Path spec = write("one.json",
                "{\"Properties\":{\"note\":\"by hand\"},\"Tags\":{\"infrakit.group\":\"manual\",\"owner\":\"it\"}}");
        String id = Gogo.run(context, "infrakit:instance instance-file provision " + spec).trim();
        assertFalse(id.isEmpty());
        assertFalse("one line: " + id, id.contains("\n"));
        assertEquals(List.of(id), instanceFiles("manual"));

        String table = Gogo.run(context, "infrakit:instance instance-file describe --tags infrakit.group=manual");
        String[] lines = table.split("\n");
        assertEquals(table, 2, lines.length);
        assertTrue(lines[0], lines[0].startsWith("ID"));
        assertEquals(id, lines[1].split("\t")[0].trim());
        assertTrue(lines[1], lines[1].contains("infrakit.group=manual,owner=it"));
        assertEquals("only the header line for tags no instance has",
                1, Gogo.run(context, "infrakit:instance instance-file describe --tags infrakit.group=nobody").split("\n").length);

        JsonNode described = JSON.readTree(Gogo.run(context,
                "infrakit:instance instance-file describe --tags infrakit.group=manual --json"));
        assertEquals(1, described.size());
        assertEquals(id, described.get(0).get("ID").asText());
        assertEquals("it", described.get(0).at("/Tags/owner").asText());

        JsonNode provisioned = JSON.readTree(Gogo.run(context, "infrakit:instance instance-file provision " + spec + " --json"));
        String second = provisioned.get("ID").asText();
        assertEquals(Set.of(id, second), Set.copyOf(instanceFiles("manual")));

        assertEquals("destroyed " + id + "\n", Gogo.run(context, "infrakit:instance instance-file destroy " + id));
        JsonNode gone = JSON.readTree(Gogo.run(context, "infrakit:instance instance-file destroy " + second + " --json"));
        assertEquals(second, gone.get(0).get("ID").asText());
        assertTrue(gone.get(0).get("OK").asBoolean());
        assertEquals(List.of(), instanceFiles("manual"));

        // destroying it again: the plugin's one-line error
        assertOneLineError(Gogo.execute(context, "infrakit:instance instance-file destroy " + id), id);
    }

    @Test
    public void flavorValidateAndHealthy() throws Exception {
        Path properties = write("vanilla.json", "{\"Init\":[\"echo hello\"],\"Tags\":{\"tier\":\"web\"}}");
        assertEquals("validate:ok\n", Gogo.run(context, "infrakit:flavor flavor-vanilla validate " + properties + " --size 3"));
        assertEquals("{\"OK\":true}\n",
                Gogo.run(context, "infrakit:flavor flavor-vanilla validate " + properties + " --logical-ids a,b --json"));

        Path bad = write("bad-vanilla.json", "{\"Init\":\"not a list\"}");
        Gogo.Outcome invalid = Gogo.execute(context, "infrakit:flavor flavor-vanilla validate " + bad);
        assertOneLineError(invalid, "Init");

        assertEquals("1\n1\n", Gogo.run(context, "infrakit:flavor flavor-vanilla healthy i-1 i-2"));
        JsonNode health = JSON.readTree(Gogo.run(context, "infrakit:flavor flavor-vanilla healthy i-1 --json"));
        assertEquals("i-1", health.get(0).get("ID").asText());
        assertEquals(1, health.get(0).get("Health").asInt());
    }

    @Test
    public void errorsAreOneLineWithoutAStackTrace() throws Exception {
        assertOneLineError(Gogo.execute(context, "infrakit:group describe nope"), "nope");
        assertOneLineError(Gogo.execute(context, "infrakit:group inspect nope"), "Group nope is not being watched");

        Gogo.Outcome noInstance = Gogo.execute(context, "infrakit:instance instance-missing describe");
        assertOneLineError(noInstance, "no Instance plugin named 'instance-missing' (known: ");
        assertTrue(noInstance.err(), noInstance.err().contains("instance-file"));
        assertOneLineError(Gogo.execute(context, "infrakit:flavor flavor-missing healthy x"),
                "no Flavor plugin named 'flavor-missing'");
        assertOneLineError(Gogo.execute(context, "infrakit:group --plugin group-missing ls"),
                "no Group plugin named 'group-missing'");

        assertOneLineError(Gogo.execute(context, "infrakit:group commit " + home.resolve("absent.json")), "absent.json");
        assertOneLineError(Gogo.execute(context, "infrakit:group frobnicate"), "unknown verb 'frobnicate'");
    }

    @Test
    public void helpShowsTheDescriptionsAndTheVerbs() throws Exception {
        // gogo.command's help returns its text, which the console prints
        Gogo.Outcome asked = Gogo.execute(context, "help infrakit:group");
        assertEquals("", asked.err());
        String help = String.valueOf(asked.value());
        assertTrue(help, help.contains("Group plugin verbs: commit FILE|JSON|- [--pretend], describe ID"));
        assertTrue(help, help.startsWith("group - "));
        assertTrue(help, help.contains("scope: infrakit"));
        // the declared parameters: the --plugin option and the verb's words
        assertTrue(help, help.contains("--plugin"));
        assertTrue(help, help.contains("the group plugin (NAME; default: group)"));
        assertTrue(help, help.contains("VERB [ARGUMENTS] [OPTIONS]"));
        assertTrue("the list of commands: " + Gogo.execute(context, "help").value(),
                String.valueOf(Gogo.execute(context, "help").value()).contains("infrakit:instance\n"));

        String verbs = Gogo.run(context, "infrakit:group help");
        assertTrue(verbs, verbs.startsWith("Verbs of Group plugin 'group':\n"));
        for (String verb : List.of("commit", "describe", "inspect", "ls", "free", "destroy")) {
            assertTrue(verb + " in " + verbs, verbs.contains("\n  " + verb + " "));
        }
        String commit = Gogo.run(context, "infrakit:group commit --help");
        assertTrue(commit, commit.startsWith("Usage: commit FILE|JSON|- [options]\n"));
        assertTrue(commit, commit.contains("--pretend"));

        String instance = Gogo.run(context, "infrakit:instance instance-file help");
        assertTrue(instance, instance.startsWith("Verbs of Instance plugin 'instance-file':\n"));
        assertEquals(instance, Gogo.run(context, "infrakit:instance --plugin instance-file help"));
        assertEquals(instance, Gogo.run(context, "infrakit:instance --help"));
    }

    // ---------------------------------------------------------------------------------------------

    /** A failed command printed nothing on standard output and one line (no stack trace) on standard error. */
    private static void assertOneLineError(Gogo.Outcome outcome, String expected) {
        String err = outcome.err();
        assertTrue("an error was expected, output: " + outcome.out(), err.endsWith("\n"));
        assertEquals("one line: " + err, 1, err.split("\n").length);
        assertTrue(err, err.contains(expected));
        assertFalse(err, err.contains("Exception"));
        assertFalse(err, err.contains("\tat "));
        assertFalse(err, err.startsWith("gogo:") || err.startsWith("gosh:"));
    }

    /** The group spec: instance-file, the vanilla flavor with one Init line and a tag. */
    private static String groupSpec(String id, int size) {
        return "{\"ID\":\"" + id + "\",\"Properties\":{"
                + "\"Allocation\":{\"Size\":" + size + "},"
                + "\"Instance\":{\"Plugin\":\"instance-file\",\"Properties\":{\"note\":\"from the shell\"}},"
                + "\"Flavor\":{\"Plugin\":\"flavor-vanilla\",\"Properties\":{\"Init\":[\"echo hello\"],"
                + "\"Tags\":{\"tier\":\"web\"}}}}}";
    }

    private static Path write(String name, String json) throws IOException {
        Path file = home.resolve(name);
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }

    /** The IDs of the instance files (in {@code <home>/instances}) tagged with the group, sorted. */
    private static List<String> instanceFiles(String group) throws IOException {
        Path dir = home.resolve("instances");
        List<String> ids = new ArrayList<>();
        for (String name : TempDirs.names(dir)) {
            if (name.startsWith(".")) {
                continue;
            }
            try {
                JsonNode file = JSON.readTree(Files.readString(dir.resolve(name), StandardCharsets.UTF_8));
                if (group.equals(file.at("/Tags/infrakit.group").asText())) {
                    ids.add(name);
                }
            } catch (java.nio.file.NoSuchFileException e) {
                // destroyed meanwhile
            }
        }
        return ids;
    }
}
