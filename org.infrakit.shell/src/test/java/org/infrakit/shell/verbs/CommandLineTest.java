package org.infrakit.shell.verbs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.infrakit.spi.PluginRef;
import org.junit.jupiter.api.Test;

/** Parsing and help of verb lines, shared by every front end. */
class CommandLineTest {
    final Fakes.Group group = new Fakes.Group();
    final Fakes.Lookup lookup = new Fakes.Lookup().add(PluginKind.GROUP, "group", group);
    final CommandLine cl = new CommandLine(lookup, Path.of("."), () -> null);

    VerbResult group(String... words) {
        return cl.run(PluginKind.GROUP, PluginRef.parse("group"), java.util.Arrays.asList(words));
    }

    @Test
    void noVerbShowsTheHelpAndFails() {
        VerbResult r = group();

        assertThat(r.exitCode()).isEqualTo(VerbResult.USAGE);
        assertThat(r.error()).isEqualTo("missing verb (one of commit, describe, inspect, ls, free, destroy)");
        assertThat(r.output()).startsWith("Verbs of Group plugin 'group':\n");
    }

    @Test
    void helpListsTheVerbs() {
        for (String word : List.of("help", "-h", "--help")) {
            VerbResult r = group(word);
            assertThat(r.ok()).isTrue();
            assertThat(r.output()).startsWith("Verbs of Group plugin 'group':\n"
                    + "Usage: group [--plugin NAME] VERB [ARGUMENTS] [OPTIONS]\n")
                    .contains("Commands:\n  commit ", "\n  describe ", "\n  inspect ", "\n  ls ", "\n  free ",
                            "\n  destroy ", "Every verb takes -o");
        }
        assertThat(cl.help(PluginKind.INSTANCE, PluginRef.parse("instance-file")))
                .startsWith("Verbs of Instance plugin 'instance-file':\n").contains("\n  label ");
        assertThat(cl.verbs(PluginKind.FLAVOR)).containsExactly("validate", "prepare", "healthy", "drain");
        assertThat(lookup.opened).isZero();
    }

    @Test
    void helpOfAVerb() {
        String expected = group("commit", "--help").output();

        assertThat(expected).startsWith("Usage: commit FILE|JSON|- [options]\nCommit a group spec")
                .contains("  -p, --pretend", "  -o, --output=FORMAT", "      --json", "  -h, --help", "  -V, --version");
        assertThat(group("help", "commit").output()).isEqualTo(expected);
        assertThat(group("commit", "x.json", "-h").output()).isEqualTo(expected);
        assertThat(group.calls).isEmpty();
    }

    @Test
    void onePluginOptionAndOneOrderForEveryKind() {
        Fakes.Instance file = new Fakes.Instance();
        Fakes.Instance other = new Fakes.Instance();
        lookup.add(PluginKind.INSTANCE, "instance-file", file).add(PluginKind.INSTANCE, "instance-x", other)
                .add(PluginKind.GROUP, "group-b", new Fakes.Group());
        java.util.List<PluginRef> reached = new java.util.ArrayList<>();
        java.util.function.Function<PluginRef, VerbResult> reach = ref -> {
            reached.add(ref);
            return null;
        };

        assertThat(cl.run(PluginKind.INSTANCE, List.of("validate", "{}"), reach).ok()).isTrue();
        assertThat(cl.run(PluginKind.INSTANCE, List.of("--plugin", "instance-x", "validate", "{}"), reach).ok()).isTrue();
        assertThat(cl.run(PluginKind.INSTANCE, List.of("--plugin=instance-x", "validate", "{}"), reach).ok()).isTrue();
        // the older order KIND NAME VERB
        assertThat(cl.run(PluginKind.INSTANCE, List.of("instance-x", "validate", "{}"), reach).ok()).isTrue();
        assertThat(cl.run(PluginKind.INSTANCE, List.of("instance-x", "help"), reach).output())
                .startsWith("Verbs of Instance plugin 'instance-x':\n");
        assertThat(cl.run(PluginKind.INSTANCE, List.of("--plugin", "instance-x", "help", "label"), reach).output())
                .startsWith("Usage: label ID K=V... [options]\n");
        assertThat(cl.run(PluginKind.GROUP, List.of("--plugin", "group-b", "ls"), reach).output()).isEqualTo("ID\n");
        assertThat(reached).extracting(PluginRef::toString)
                .containsExactly("instance-file", "instance-x", "instance-x", "instance-x", "group-b");
        assertThat(file.calls).containsExactly("validate {}");
        assertThat(other.calls).containsExactly("validate {}", "validate {}", "validate {}");

        // help and bad usage never reach the plugin
        assertThat(cl.run(PluginKind.FLAVOR, List.of("--help"), reach).output())
                .startsWith("Verbs of Flavor plugin 'flavor-vanilla':\nUsage: flavor [--plugin NAME] VERB");
        VerbResult missing = cl.run(PluginKind.INSTANCE, List.of(), reach);
        assertThat(missing.exitCode()).isEqualTo(VerbResult.USAGE);
        assertThat(missing.error()).isEqualTo("missing verb (one of validate, provision, describe, label, destroy)");
        assertThat(cl.run(PluginKind.INSTANCE, List.of("--plugin"), reach).error())
                .isEqualTo("option --plugin needs a value (NAME)");
        assertThat(cl.run(PluginKind.INSTANCE, List.of("--plugin", "..", "describe"), reach).error())
                .isEqualTo("plugin name '..' must not be '.' or contain '..'");
        assertThat(reached).hasSize(5);

        // what reach answers stops the verb
        VerbResult refused = cl.run(PluginKind.INSTANCE, List.of("validate", "{}"),
                ref -> VerbResult.failure(VerbResult.UNAVAILABLE, "no " + ref));
        assertThat(refused.exitCode()).isEqualTo(VerbResult.UNAVAILABLE);
        assertThat(refused.error()).isEqualTo("no instance-file");
        assertThat(file.calls).hasSize(1);
    }

    @Test
    void versionOnEveryCommand() {
        CommandLine versioned = new CommandLine(lookup, Path.of("."), () -> null, "9.8.7");
        for (List<String> words : List.of(List.of("--version"), List.of("-V"), List.of("ls", "--version"),
                List.of("commit", "x.json", "-V"))) {
            VerbResult r = versioned.run(PluginKind.GROUP, words, ref -> null);
            assertThat(r.ok()).isTrue();
            assertThat(r.output()).isEqualTo("infrakit group 9.8.7\n");
        }
        assertThat(versioned.pluginLs(List::of, List.of("--version")).output()).isEqualTo("infrakit plugin ls 9.8.7\n");
        assertThat(group.calls).isEmpty();
    }

    @Test
    void bashCompletionFromTheTree() {
        String script = picocli.AutoComplete.bash("infrakit", cl.tree("infrakit"));

        assertThat(script).contains("complete -F _complete_infrakit", "group", "instance", "flavor", "commit",
                "provision", "prepare", "--plugin", "--pretend", "--logical-ids");
    }

    @Test
    void helpAfterDoubleDashIsAnArgument() {
        VerbResult r = group("describe", "--", "--help");

        assertThat(r.exitCode()).isEqualTo(VerbResult.FAILED);
        assertThat(r.error()).isEqualTo("Group '--help' is not being watched");
    }

    @Test
    void unknownVerb() {
        VerbResult r = group("scale", "x");

        assertThat(r.exitCode()).isEqualTo(VerbResult.USAGE);
        assertThat(r.error()).isEqualTo("unknown verb 'scale' for Group plugin 'group' "
                + "(verbs: commit, describe, inspect, ls, free, destroy)");
    }

    @Test
    void unknownOption() {
        VerbResult r = group("describe", "x", "--bogus");

        assertThat(r.exitCode()).isEqualTo(VerbResult.USAGE);
        assertThat(r.error()).isEqualTo("describe: unknown option '--bogus'");
        assertThat(group("free", "x", "-p").error()).isEqualTo("free: unknown option '-p'");
    }

    @Test
    void argumentCounts() {
        assertThat(group("describe").error()).isEqualTo("describe: missing ID (usage: describe ID [options])");
        assertThat(group("describe", "a", "b").error()).isEqualTo("describe: too many arguments (usage: describe ID [options])");
        assertThat(group("ls", "a").error()).isEqualTo("ls: too many arguments (usage: ls [options])");
        assertThat(group("describe").exitCode()).isEqualTo(VerbResult.USAGE);
        assertThat(lookup.opened).isZero();
    }

    @Test
    void optionValues() {
        assertThat(group("ls", "-o").error()).isEqualTo("ls: option -o needs a value (FORMAT)");
        assertThat(group("ls", "-o", "yaml").error()).isEqualTo("unknown output format 'yaml' (use table or json)");
        assertThat(group("ls", "--pretend").error()).isEqualTo("ls: unknown option '--pretend'");
        assertThat(group("commit", "{}", "--pretend=yes").error()).isEqualTo("commit: option --pretend takes no value");
        assertThat(group("ls", "--output=json").output()).isEqualTo("[]\n");
        assertThat(group("ls", "-o", "JSON").output()).isEqualTo("[]\n");
        assertThat(group("ls", "-o", "table").output()).isEqualTo("ID\n");
    }

    @Test
    void pluginLsParsesBeforeItDiscovers() {
        int[] discovered = {0};
        java.util.function.Supplier<List<PluginEntry>> entries = () -> {
            discovered[0]++;
            return PluginListingTest.ENTRIES;
        };

        assertThat(cl.pluginLs(entries, List.of("--help")).output()).startsWith("Usage: plugin ls [options]\n")
                .contains("  -q, --quiet");
        assertThat(cl.pluginLs(entries, List.of("-x")).error()).isEqualTo("ls: unknown option '-x'");
        assertThat(cl.pluginLs(entries, List.of("extra")).exitCode()).isEqualTo(VerbResult.USAGE);
        assertThat(discovered[0]).isZero();

        assertThat(cl.pluginLs(entries, List.of()).output()).startsWith("INTERFACE           LISTEN ");
        assertThat(cl.pluginLs(entries, List.of("-q", "-o", "json")).output()).startsWith("[{\"Name\":\"flavor-vanilla\"");
        assertThat(discovered[0]).isEqualTo(2);
    }

    @Test
    void nullWordsAreEmpty() {
        assertThat(group("describe", null).error()).isEqualTo("Group '' is not being watched");
    }

    @Test
    void tagsParsing() throws InputException {
        assertThat(CommandLine.tags(List.of("a=1,b=2", "c", "d=", "e=x=y", ",")))
                .containsExactly(java.util.Map.entry("a", "1"), java.util.Map.entry("b", "2"),
                        java.util.Map.entry("c", ""), java.util.Map.entry("d", ""), java.util.Map.entry("e", "x=y"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CommandLine.tags(List.of("=v")))
                .hasMessage("tag '=v' has no key (expected K=V)");
    }
}
