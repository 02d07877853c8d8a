package org.infrakit.shell.verbs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.infrakit.spi.DestroyContext;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.PluginRef;
import org.infrakit.spi.RawJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceException;

/** Instance verbs through the shared command line, against an in-memory instance plugin. */
class InstanceVerbsTest {
    @TempDir
    Path dir;

    final Fakes.Instance plugin = new Fakes.Instance();
    final Fakes.Lookup lookup = new Fakes.Lookup().add(PluginKind.INSTANCE, "instance-file", plugin);

    VerbResult run(String... words) {
        return runOn("instance-file", words);
    }

    VerbResult runOn(String ref, String... words) {
        return new CommandLine(lookup, dir, () -> null).run(PluginKind.INSTANCE, PluginRef.parse(ref), List.of(words));
    }

    static String row(String id, String logical, String tags) {
        return String.format("%-30s\t%-30s\t%s\n", id, logical, tags);
    }

    @Test
    void validate() throws Exception {
        Files.writeString(dir.resolve("props.json"), "{\"Note\": \"hello\"}");

        assertThat(run("validate", "props.json").output()).isEqualTo("validate:ok\n");
        assertThat(run("validate", "{}", "--json").output()).isEqualTo("{\"OK\":true}\n");
        assertThat(plugin.calls).containsExactly("validate {\"Note\":\"hello\"}", "validate {}");
    }

    @Test
    void validateRejected() {
        VerbResult r = run("validate", "[1]");

        assertThat(r.exitCode()).isEqualTo(VerbResult.FAILED);
        assertThat(r.error()).isEqualTo("json: cannot unmarshal array into Go value of type main.Spec");
    }

    @Test
    void provisionPrintsTheNewId() {
        String spec = "{\"Properties\":{\"Note\":\"n\"},\"Tags\":{\"tier\":\"web\"},\"LogicalID\":\"db-1\"}";

        assertThat(run("provision", spec).output()).isEqualTo("instance-1\n");
        assertThat(run("provision", spec, "-o", "json").output()).isEqualTo("{\"ID\":\"instance-2\"}\n");
        assertThat(plugin.instances.get("instance-1").logicalID()).isEqualTo("db-1");
        assertThat(plugin.instances.get("instance-1").tags()).isEqualTo(Map.of("tier", "web"));
    }

    @Test
    void provisionOfABadSpec() {
        VerbResult r = run("provision", "{\"Tags\":[\"a\"]}");

        assertThat(r.exitCode()).isEqualTo(VerbResult.USAGE);
        assertThat(r.error()).isEqualTo("inline JSON: Tags must be an object");
        assertThat(plugin.calls).isEmpty();
    }

    @Test
    void describeAllWithTheGoTable() {
        plugin.put("instance-1", null, Map.of("infrakit.group", "cattle"));
        plugin.put("instance-2", "db-1", null);

        assertThat(run("describe").output()).isEqualTo(row("ID", "LOGICAL", "TAGS")
                + row("instance-1", "  -   ", "infrakit.group=cattle") + row("instance-2", "db-1", ""));
        assertThat(plugin.lastFilter).isNull();
        assertThat(plugin.lastProperties).isFalse();
    }

    @Test
    void describeWithTagFilters() {
        plugin.put("instance-1", null, Map.of("infrakit.group", "cattle", "tier", "web"));
        plugin.put("instance-2", null, Map.of("infrakit.group", "cattle"));
        plugin.put("instance-3", null, Map.of("infrakit.group", "pets", "tier", "web"));

        assertThat(run("describe", "--tags", "infrakit.group=cattle", "-q").output())
                .isEqualTo(row("instance-1", "  -   ", "infrakit.group=cattle,tier=web")
                        + row("instance-2", "  -   ", "infrakit.group=cattle"));
        assertThat(run("describe", "--tags=infrakit.group=cattle,tier=web", "-q").output())
                .isEqualTo(row("instance-1", "  -   ", "infrakit.group=cattle,tier=web"));
        assertThat(plugin.lastFilter).isEqualTo(Map.of("infrakit.group", "cattle", "tier", "web"));

        run("describe", "--tags", "a=1", "--tags", "b,c=x=y");
        assertThat(plugin.lastFilter).isEqualTo(Map.of("a", "1", "b", "", "c", "x=y"));
    }

    @Test
    void describeWithProperties() {
        plugin.provision(new org.infrakit.spi.InstanceSpec(RawJson.of("{\"Note\":\"n\"}"), null, "", null, null));

        VerbResult r = run("describe", "--properties");

        assertThat(plugin.lastProperties).isTrue();
        assertThat(r.output()).isEqualTo(String.format("%-30s\t%-30s\t%-30s\t%s\n", "ID", "LOGICAL", "TAGS", "PROPERTIES")
                + String.format("%-30s\t%-30s\t%-30s\t%s\n", "instance-1", "  -   ", "",
                        "{\"Properties\":{\"Note\":\"n\"},\"Tags\":null,\"Init\":\"\",\"LogicalID\":null,\"Attachments\":null}"));
    }

    @Test
    void describeAsJson() {
        assertThat(run("describe", "--json").output()).isEqualTo("[]\n");
        plugin.put("instance-1", null, Map.of("b", "2", "a", "1"));
        assertThat(run("describe", "--json").output())
                .isEqualTo("[{\"ID\":\"instance-1\",\"LogicalID\":null,\"Tags\":{\"a\":\"1\",\"b\":\"2\"}}]\n");
    }

    @Test
    void label() {
        plugin.put("instance-1", null, Map.of("a", "1"));

        assertThat(run("label", "instance-1", "b=2", "c=x=y").output()).isEqualTo("labeled instance-1\n");
        assertThat(plugin.instances.get("instance-1").tags()).isEqualTo(Map.of("a", "1", "b", "2", "c", "x=y"));
        assertThat(run("label", "instance-1", "a=3", "--json").output()).isEqualTo("{\"ID\":\"instance-1\",\"OK\":true}\n");
    }

    @Test
    void labelFailures() {
        VerbResult bad = run("label", "instance-1", "nokey");
        assertThat(bad.exitCode()).isEqualTo(VerbResult.USAGE);
        assertThat(bad.error()).isEqualTo("label 'nokey' must be KEY=VALUE");

        VerbResult missing = run("label", "instance-9", "a=1");
        assertThat(missing.exitCode()).isEqualTo(VerbResult.FAILED);
        assertThat(missing.error()).isEqualTo("instance instance-9 not found");

        assertThat(run("label", "instance-1").error()).isEqualTo("label: missing ID K=V... (usage: label ID K=V... [options])");
    }

    @Test
    void destroySeveralWithTermination() {
        plugin.put("a", null, null);
        plugin.put("b", null, null);

        assertThat(run("destroy", "a", "b").output()).isEqualTo("destroyed a\ndestroyed b\n");
        assertThat(plugin.calls).containsExactly("destroy a " + DestroyContext.TERMINATE, "destroy b terminate");
    }

    @Test
    void destroyStopsAtTheFirstFailureAndReportsWhatWasDone() {
        plugin.put("a", null, null);
        plugin.put("c", null, null);

        VerbResult r = run("destroy", "a", "missing", "c");

        assertThat(r.exitCode()).isEqualTo(VerbResult.FAILED);
        assertThat(r.output()).isEqualTo("destroyed a\n");
        assertThat(r.error()).isEqualTo("instance missing not found");
        assertThat(plugin.instances).containsOnlyKeys("c");
    }

    @Test
    void destroyAsJsonIncludingAPartialFailure() {
        plugin.put("a", null, null);
        plugin.put("b", null, null);

        assertThat(run("destroy", "a", "--json").output()).isEqualTo("[{\"ID\":\"a\",\"OK\":true}]\n");
        VerbResult r = run("destroy", "b", "a", "--json");
        assertThat(r.output()).isEqualTo("[{\"ID\":\"b\",\"OK\":true}]\n");
        assertThat(r.error()).isEqualTo("instance a not found");
    }

    @Test
    void destroyAnIdThatLooksLikeAnOption() {
        plugin.put("-odd", null, null);

        assertThat(run("destroy", "--", "-odd").output()).isEqualTo("destroyed -odd\n");
    }

    @Test
    void aTypedObjectIsLookedUpByItsReference() {
        Fakes.Instance ec2 = new Fakes.Instance();
        lookup.add(PluginKind.INSTANCE, "instance-aws/ec2", ec2);
        ec2.put("i-1", null, null);

        assertThat(runOn("instance-aws/ec2", "describe", "-q").output()).startsWith("i-1");
        VerbResult missing = runOn("instance-aws/ebs", "describe");
        assertThat(missing.exitCode()).isEqualTo(VerbResult.UNAVAILABLE);
        assertThat(missing.error())
                .isEqualTo("no Instance plugin named 'instance-aws/ebs' (known: instance-aws/ec2, instance-file)");
    }

    @Test
    void aTransportFailureMidWayKeepsWhatWasDone() {
        plugin.put("a", null, null);
        lookup.add(PluginKind.INSTANCE, "instance-file", new Fakes.Instance() {
            int n;

            @Override
            public void destroy(String instance, DestroyContext context) {
                if (n++ > 0) {
                    throw new ServiceException("no answer from /p/instance-file within 30 s", ServiceException.REMOTE);
                }
            }

            @Override
            public List<InstanceDescription> describeInstances(Map<String, String> tags, boolean properties) {
                return List.of();
            }
        });

        VerbResult r = run("destroy", "a", "b");

        assertThat(r.exitCode()).isEqualTo(VerbResult.UNAVAILABLE);
        assertThat(r.output()).isEqualTo("destroyed a\n");
        assertThat(r.error()).isEqualTo("Instance plugin 'instance-file' is unavailable: no answer from "
                + "/p/instance-file within 30 s");
    }
}
