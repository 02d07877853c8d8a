package org.infrakit.shell.verbs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.infrakit.spi.GroupDescription;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginRef;
import org.infrakit.spi.RawJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceException;

/** Group verbs through the shared command line, against an in-memory group plugin. */
class GroupVerbsTest {
    static final String CATTLE = "{\"ID\":\"cattle\",\"Properties\":{\"Allocation\":{\"Size\":5},"
            + "\"Instance\":{\"Plugin\":\"instance-file\",\"Properties\":{\"Note\":\"Instance properties version 1.0\"}},"
            + "\"Flavor\":{\"Plugin\":\"flavor-vanilla\",\"Properties\":{\"Init\":[\"docker pull nginx:alpine\"],"
            + "\"Tags\":{\"tier\":\"web\",\"project\":\"infrakit\"}}}}}";

    @TempDir
    Path dir;

    final Fakes.Group group = new Fakes.Group();
    final Fakes.Lookup lookup = new Fakes.Lookup().add(PluginKind.GROUP, "group", group);
    String stdin = "";

    VerbResult run(String... words) {
        return new CommandLine(lookup, dir, () -> new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)))
                .run(PluginKind.GROUP, PluginRef.parse("group"), List.of(words));
    }

    Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    void commitCattle() throws PluginException {
        group.commitGroup(new GroupSpec("cattle", RawJson.of("{\"Allocation\":{\"Size\":5}}")), false);
        group.calls.clear();
    }

    @Test
    void commitFromAFile() throws Exception {
        file("cattle.json", CATTLE);

        VerbResult r = run("commit", "cattle.json");

        assertThat(r.ok()).isTrue();
        assertThat(r.exitCode()).isZero();
        assertThat(r.output()).isEqualTo("Committed cattle: Managing 5 instances\n");
        assertThat(r.error()).isNull();
        assertThat(group.calls).containsExactly("commit cattle false");
        assertThat(group.specs.get("cattle").properties().json())
                .isEqualTo(CATTLE.substring("{\"ID\":\"cattle\",\"Properties\":".length(), CATTLE.length() - 1));
        assertThat(lookup.closed).isEqualTo(lookup.opened).isEqualTo(1);
    }

    @Test
    void commitPretendBeforeOrAfterThePath() throws Exception {
        Path f = file("cattle.json", CATTLE);

        assertThat(run("commit", f.toString(), "--pretend").output())
                .isEqualTo("Committing cattle would involve: Managing 5 instances\n");
        assertThat(run("commit", "-p", "cattle.json").output())
                .isEqualTo("Committing cattle would involve: Managing 5 instances\n");
        assertThat(group.calls).containsExactly("commit cattle true", "commit cattle true");
        assertThat(group.specs).isEmpty();
    }

    @Test
    void commitInlineAndFromStandardInput() {
        assertThat(run("commit", "  {\"ID\":\"a\"}").output()).isEqualTo("Committed a: Managing 5 instances\n");
        stdin = "{\"ID\":\"b\"}";
        assertThat(run("commit", "-").output()).isEqualTo("Committed b: Managing 5 instances\n");
    }

    @Test
    void commitAsJson() {
        assertThat(run("commit", CATTLE, "-o", "json").output())
                .isEqualTo("{\"ID\":\"cattle\",\"Pretend\":false,\"Details\":\"Managing 5 instances\"}\n");
        assertThat(run("commit", CATTLE, "--json", "--pretend").output())
                .isEqualTo("{\"ID\":\"cattle\",\"Pretend\":true,\"Details\":\"Managing 5 instances\"}\n");
    }

    @Test
    void commitRejectedByThePlugin() {
        VerbResult r = run("commit", "{}");

        assertThat(r.exitCode()).isEqualTo(VerbResult.FAILED);
        assertThat(r.output()).isEmpty();
        assertThat(r.error()).isEqualTo("Group ID must not be blank");
        assertThat(lookup.closed).isEqualTo(1);
    }

    @Test
    void commitOfAMissingFile() {
        VerbResult r = run("commit", "nope.json");

        assertThat(r.exitCode()).isEqualTo(VerbResult.USAGE);
        assertThat(r.error()).isEqualTo("nope.json: no such file");
        assertThat(lookup.opened).isZero();
        assertThat(group.calls).isEmpty();
    }

    @Test
    void commitOfBadJson() throws Exception {
        file("bad.json", "{\"ID\":\"cattle\",");

        VerbResult r = run("commit", "bad.json");

        assertThat(r.exitCode()).isEqualTo(VerbResult.USAGE);
        assertThat(r.error()).startsWith("bad.json: not JSON: ").doesNotContain("\n");
        assertThat(group.calls).isEmpty();
    }

    @Test
    void commitOfJsonOfTheWrongShape() {
        assertThat(run("commit", "[1,2]").error()).isEqualTo("inline JSON: a group spec must be a JSON object");
        assertThat(run("commit", "{\"ID\":5}").error()).isEqualTo("inline JSON: ID must be a string");
        assertThat(group.calls).isEmpty();
    }

    @Test
    void describeTableAsTheGoCli() throws PluginException {
        commitCattle();
        group.members.put("cattle", new GroupDescription(List.of(
                InstanceDescription.of("instance-4582464082013813178", null, Map.of(
                        "tier", "web", "project", "infrakit", "infrakit.group", "cattle",
                        "infrakit.config_sha", "x4nrsdaibscmj7awpkxzx5vvpt6pilw2"), null),
                InstanceDescription.of("db-0", "10.0.0.1", null, null)), true));

        VerbResult r = run("describe", "cattle");

        // the tutorial's header and row, byte for byte (cli.md §2.2)
        assertThat(r.output()).isEqualTo(""
                + "ID                            \tLOGICAL                       \tTAGS\n"
                + "instance-4582464082013813178  \t  -                           \tinfrakit.config_sha="
                + "x4nrsdaibscmj7awpkxzx5vvpt6pilw2,infrakit.group=cattle,project=infrakit,tier=web\n"
                + "db-0                          \t10.0.0.1                      \t\n");
        assertThat(run("describe", "cattle", "-q").output()).doesNotContain("LOGICAL").startsWith("instance-");
    }

    @Test
    void describeSortsTagPairsAsStrings() throws PluginException {
        commitCattle();
        group.members.put("cattle", new GroupDescription(List.of(
                InstanceDescription.of("i", null, Map.of("a", "1", "a.b", "2"), null)), false));

        // Go sorts the "k=v" strings: "a.b=2" < "a=1" because '.' < '='
        assertThat(run("describe", "cattle", "-q").output()).endsWith("\ta.b=2,a=1\n");
    }

    @Test
    void describeAsJson() throws PluginException {
        commitCattle();
        group.members.put("cattle", new GroupDescription(List.of(
                InstanceDescription.of("instance-1", null, Map.of("tier", "web"), null)), true));

        assertThat(run("describe", "cattle", "--json").output()).isEqualTo(
                "{\"Instances\":[{\"ID\":\"instance-1\",\"LogicalID\":null,\"Tags\":{\"tier\":\"web\"}}],\"Converged\":true}\n");
    }

    @Test
    void describeAnUnknownGroup() {
        VerbResult r = run("describe", "nope");

        assertThat(r.exitCode()).isEqualTo(VerbResult.FAILED);
        assertThat(r.error()).isEqualTo("Group 'nope' is not being watched");
    }

    @Test
    void inspectAllAndOne() throws PluginException {
        group.commitGroup(new GroupSpec("b", RawJson.of("{\"Allocation\":{\"Size\":1},\"E\":{}}")), false);
        group.commitGroup(new GroupSpec("a", null), false);

        assertThat(run("inspect").output()).isEqualTo("""
                [
                  {
                    "ID": "a",
                    "Properties": null
                  },
                  {
                    "ID": "b",
                    "Properties": {
                      "Allocation": {
                        "Size": 1
                      },
                      "E": {}
                    }
                  }
                ]
                """);
        assertThat(run("inspect", "--json").output())
                .isEqualTo("[{\"ID\":\"a\",\"Properties\":null},{\"ID\":\"b\",\"Properties\":{\"Allocation\":{\"Size\":1},\"E\":{}}}]\n");
        assertThat(run("inspect", "a", "-o", "json").output()).isEqualTo("{\"ID\":\"a\",\"Properties\":null}\n");
        assertThat(run("inspect", "a").output()).isEqualTo("{\n  \"ID\": \"a\",\n  \"Properties\": null\n}\n");
    }

    @Test
    void inspectWithoutGroups() {
        assertThat(run("inspect").output()).isEqualTo("[]\n");
        assertThat(run("inspect", "--json").output()).isEqualTo("[]\n");
    }

    @Test
    void inspectAnUnknownGroupUsesTheGoCliText() {
        VerbResult r = run("inspect", "nope");

        assertThat(r.exitCode()).isEqualTo(VerbResult.FAILED);
        assertThat(r.error()).isEqualTo("Group nope is not being watched");
    }

    @Test
    void ls() throws PluginException {
        group.commitGroup(new GroupSpec("web", null), false);
        group.commitGroup(new GroupSpec("db", null), false);

        assertThat(run("ls").output()).isEqualTo("ID\ndb\nweb\n");
        assertThat(run("ls", "-q").output()).isEqualTo("db\nweb\n");
        assertThat(run("ls", "--json").output()).isEqualTo("[\"db\",\"web\"]\n");
    }

    @Test
    void freeAndDestroy() throws PluginException {
        commitCattle();
        assertThat(run("free", "cattle").output()).isEqualTo("Freed cattle\n");
        commitCattle();
        assertThat(run("destroy", "cattle").output()).isEqualTo("Destroy cattle initiated\n");
        commitCattle();
        assertThat(run("free", "cattle", "--json").output()).isEqualTo("{\"ID\":\"cattle\",\"OK\":true}\n");
        commitCattle();
        assertThat(run("destroy", "cattle", "--json").output()).isEqualTo("{\"ID\":\"cattle\",\"OK\":true}\n");
        assertThat(group.calls).containsExactly("destroy cattle");

        VerbResult r = run("free", "cattle");
        assertThat(r.exitCode()).isEqualTo(VerbResult.FAILED);
        assertThat(r.error()).isEqualTo("Group 'cattle' is not being watched");
    }

    @Test
    void aMissingPlugin() {
        VerbResult r = new CommandLine(lookup, dir, () -> null)
                .run(PluginKind.GROUP, PluginRef.parse("group-x"), List.of("ls"));

        assertThat(r.exitCode()).isEqualTo(VerbResult.UNAVAILABLE);
        assertThat(r.error()).isEqualTo("no Group plugin named 'group-x' (known: group)");
        assertThat(r.output()).isEmpty();
    }

    @Test
    void anUnreachablePlugin() {
        Fakes.Group dead = new Fakes.Group() {
            @Override
            public GroupDescription describeGroup(String id) {
                throw new ServiceException("cannot connect to /tmp/p/group: Connection refused", ServiceException.REMOTE);
            }
        };
        lookup.add(PluginKind.GROUP, "group", dead);

        VerbResult r = run("describe", "cattle");

        assertThat(r.exitCode()).isEqualTo(VerbResult.UNAVAILABLE);
        assertThat(r.error()).isEqualTo("Group plugin 'group' is unavailable: cannot connect to /tmp/p/group: "
                + "Connection refused");
        assertThat(r.cause()).isInstanceOf(ServiceException.class);
        assertThat(lookup.closed).isEqualTo(1);
    }

    @Test
    void aPluginDefectIsOneLine() {
        lookup.add(PluginKind.GROUP, "group", new Fakes.Group() {
            @Override
            public void freeGroup(String id) {
                throw new IllegalStateException("boom");
            }
        });

        VerbResult r = run("free", "x");

        assertThat(r.exitCode()).isEqualTo(VerbResult.FAILED);
        assertThat(r.error()).isEqualTo("Group plugin 'group' failed: IllegalStateException: boom");
        assertThat(r.cause()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aMultiLineMessageBecomesOneLine() {
        lookup.add(PluginKind.GROUP, "group", new Fakes.Group() {
            @Override
            public void freeGroup(String id) throws PluginException {
                throw new PluginException("first line\n  second line\r\n");
            }
        });

        assertThat(run("free", "x").error()).isEqualTo("first line second line");
    }
}
