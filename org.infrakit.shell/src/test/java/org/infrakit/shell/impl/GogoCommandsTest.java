package org.infrakit.shell.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.infrakit.shell.verbs.Fakes;
import org.infrakit.shell.verbs.PluginEntry;
import org.infrakit.shell.verbs.PluginKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands run through the real Gogo parser and method binding, without a framework. */
class GogoCommandsTest {
    @TempDir
    Path dir;

    private final Fakes.Group group = new Fakes.Group();
    private final Fakes.Instance instance = new Fakes.Instance();
    private final Fakes.Flavor flavor = new Fakes.Flavor();
    private final Fakes.Lookup lookup = new Fakes.Lookup()
            .add(PluginKind.GROUP, "group", group)
            .add(PluginKind.INSTANCE, "instance-file", instance)
            .add(PluginKind.FLAVOR, "flavor-vanilla", flavor);

    private ThreadIOImpl threadIO;
    private CommandProcessorImpl processor;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private CommandSession session;

    @BeforeEach
    void start() {
        threadIO = new ThreadIOImpl();
        threadIO.start();
        processor = new CommandProcessorImpl(threadIO);
        List<PluginEntry> entries = List.of(
                new PluginEntry("group", "", "Group/0.1.0", null, "org.infrakit.group", false, null),
                new PluginEntry("instance-x", "", "Instance/0.6.0", "/run/p/instance-x", "imported", true, null));
        ShellCommands commands = new ShellCommands(lookup, () -> entries);
        processor.addCommand("infrakit", commands, "plugins");
        processor.addCommand("infrakit", commands, "group");
        processor.addCommand("infrakit", commands, "instance");
        processor.addCommand("infrakit", commands, "flavor");
        session = processor.createSession(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        session.currentDir(dir);
    }

    @AfterEach
    void stop() {
        session.close();
        processor.stop();
        threadIO.stop();
    }

    private Object exec(String line) throws Exception {
        return session.execute(line);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void groupCommitFromAFileWithPretendAfterThePath() throws Exception {
        Path file = dir.resolve("x.json");
        Files.writeString(file, "{\"ID\":\"cattle\",\"Properties\":{\"Allocation\":{\"Size\":5}}}");

        Object result = exec("infrakit:group commit " + file + " --pretend");

        assertThat(result).isNull();
        assertThat(out()).isEqualTo("Committing cattle would involve: Managing 5 instances\n");
        assertThat(err()).isEmpty();
        assertThat(group.calls).containsExactly("commit cattle true");
    }

    @Test
    void relativePathsResolveAgainstTheSessionDirectory() throws Exception {
        Files.writeString(dir.resolve("cattle.json"), "{\"ID\":\"cattle\"}");

        exec("infrakit:group commit cattle.json");

        assertThat(out()).isEqualTo("Committed cattle: Managing 5 instances\n");
    }

    @Test
    void inlineJsonInSingleQuotes() throws Exception {
        exec("infrakit:group commit '{\"ID\":\"cattle\"}' --json");

        assertThat(out()).isEqualTo("{\"ID\":\"cattle\",\"Pretend\":false,\"Details\":\"Managing 5 instances\"}\n");
    }

    @Test
    void unquotedInlineJsonGetsAHint() throws Exception {
        exec("infrakit:group commit {\"ID\":\"a\"}");

        assertThat(err()).startsWith("inline JSON: not JSON: ").endsWith("keeps its double quotes)\n");
        assertThat(err().lines()).hasSize(1);
        assertThat(group.calls).isEmpty();
    }

    @Test
    void outputCanBeRedirected() throws Exception {
        Path target = dir.resolve("out.txt");

        exec("infrakit:group commit '{\"ID\":\"d\"}' --json > " + target);

        assertThat(Files.readString(target)).isEqualTo("{\"ID\":\"d\",\"Pretend\":false,\"Details\":\"Managing 5 instances\"}\n");
        assertThat(out()).isEmpty();
    }

    @Test
    void numbersStayStrings() throws Exception {
        exec("infrakit:flavor flavor-vanilla validate '{}' --size 5");

        assertThat(out()).isEqualTo("validate:ok\n");
        assertThat(flavor.lastAllocation).isEqualTo(org.infrakit.spi.Allocation.ofSize(5));
    }

    @Test
    void instanceDescribeWithATagFilter() throws Exception {
        instance.put("instance-1", null, Map.of("infrakit.group", "cattle", "tier", "web"));
        instance.put("instance-2", null, Map.of("infrakit.group", "pets"));

        exec("infrakit:instance instance-file describe --tags infrakit.group=cattle");

        assertThat(instance.lastFilter).isEqualTo(Map.of("infrakit.group", "cattle"));
        assertThat(out()).isEqualTo(String.format("%-30s\t%-30s\t%s\n", "ID", "LOGICAL", "TAGS")
                + String.format("%-30s\t%-30s\t%s\n", "instance-1", "  -   ", "infrakit.group=cattle,tier=web"));
        assertThat(err()).isEmpty();
    }

    @Test
    void commandsWorkWithoutTheScopePrefix() throws Exception {
        instance.put("instance-1", "db-1", null);

        exec("instance instance-file describe -q");

        assertThat(out()).isEqualTo(String.format("%-30s\t%-30s\t%s\n", "instance-1", "db-1", ""));
    }

    @Test
    void aFailureIsOneLineOnStandardErrorAndNoException() throws Exception {
        Object result = exec("infrakit:group describe nope");

        assertThat(result).isNull();
        assertThat(out()).isEmpty();
        assertThat(err()).isEqualTo("Group 'nope' is not being watched\n");
        assertThat(session.get("exception")).isNull();
    }

    @Test
    void aMissingPluginNamesTheKnownOnes() throws Exception {
        exec("infrakit:instance instance-nope describe");

        assertThat(err()).isEqualTo("no Instance plugin named 'instance-nope' (known: instance-file)\n");
    }

    @Test
    void aMissingFileIsOneLine() throws Exception {
        exec("infrakit:group commit missing.json");

        assertThat(err()).isEqualTo("missing.json: no such file\n");
        assertThat(group.calls).isEmpty();
    }

    @Test
    void anotherGroupPluginByName() throws Exception {
        Fakes.Group other = new Fakes.Group();
        lookup.add(PluginKind.GROUP, "group-stateless", other);

        exec("infrakit:group --plugin group-stateless commit '{\"ID\":\"a\"}'");

        assertThat(other.calls).containsExactly("commit a false");
        assertThat(group.calls).isEmpty();
    }

    @Test
    void flavorHealthyWithOptions() throws Exception {
        flavor.health.put("i-1", org.infrakit.spi.Health.HEALTHY);

        exec("infrakit:flavor flavor-vanilla healthy i-1 --properties '{\"Init\":[]}' --tags tier=web -o json");

        assertThat(out()).isEqualTo("[{\"ID\":\"i-1\",\"Health\":1}]\n");
        assertThat(flavor.seen.get(0).tags()).isEqualTo(Map.of("tier", "web"));
    }

    @Test
    void instanceWithoutAVerbShowsTheUsage() throws Exception {
        exec("infrakit:instance");

        assertThat(out()).startsWith("Verbs of Instance plugin 'instance-file':\n"
                + "Usage: instance [--plugin NAME] VERB [ARGUMENTS] [OPTIONS]\n").contains("Commands:", "  provision ");
        assertThat(err()).isEqualTo("missing verb (one of validate, provision, describe, label, destroy)\n");
    }

    @Test
    void everyKindTakesThePluginOptionAndDefaultsWithoutIt() throws Exception {
        Fakes.Instance other = new Fakes.Instance();
        lookup.add(PluginKind.INSTANCE, "instance-x", other);

        exec("infrakit:instance validate '{}'");
        exec("infrakit:instance --plugin instance-x validate '{}'");
        exec("infrakit:flavor validate '{}' --size 1");

        assertThat(err()).isEmpty();
        assertThat(instance.calls).containsExactly("validate {}");
        assertThat(other.calls).containsExactly("validate {}");
        assertThat(flavor.calls).singleElement().asString().startsWith("validate {}");
    }

    @Test
    void versionOfACommand() throws Exception {
        exec("infrakit:instance --version");
        exec("infrakit:group describe --version");

        assertThat(out()).isEqualTo("infrakit instance unknown\ninfrakit group unknown\n");
    }

    @Test
    void aBadPluginNameIsRefused() throws Exception {
        exec("infrakit:instance .. describe");

        assertThat(err()).isEqualTo("plugin name '..' must not be '.' or contain '..'\n");
    }

    @Test
    void pluginsListsLocalAndImported() throws Exception {
        exec("infrakit:plugins");

        assertThat(out()).isEqualTo(""
                + "NAME        INTERFACE       SOCKET             ORIGIN\n"
                + "group       Group/0.1.0     -                  org.infrakit.group\n"
                + "instance-x  Instance/0.6.0  /run/p/instance-x  imported\n");
    }

    @Test
    void pluginsAsJson() throws Exception {
        exec("infrakit:plugins --json");

        assertThat(out()).startsWith("[{\"Name\":\"group\",\"Type\":\"\",\"Interface\":\"Group/0.1.0\","
                + "\"Socket\":null,\"Origin\":\"org.infrakit.group\",\"Imported\":false,\"Problem\":null},");
    }

    @Test
    void verbHelp() throws Exception {
        exec("infrakit:group commit --help");

        assertThat(out()).startsWith("Usage: commit FILE|JSON|- [options]\n").contains("--pretend");
        assertThat(err()).isEmpty();
    }
}
