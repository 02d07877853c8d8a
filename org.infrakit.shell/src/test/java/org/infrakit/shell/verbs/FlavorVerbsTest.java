package org.infrakit.shell.verbs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.infrakit.spi.Allocation;
import org.infrakit.spi.Health;
import org.infrakit.spi.Index;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.PluginRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flavor verbs through the shared command line, against an in-memory flavor plugin. */
class FlavorVerbsTest {
    static final String VANILLA = "{\"Init\":[\"docker pull nginx:alpine\"],\"Tags\":{\"tier\":\"web\",\"project\":\"infrakit\"}}";
    static final String SPEC = "{\"Properties\":{\"Note\":\"n\"},\"Tags\":{\"infrakit.group\":\"cattle\"}}";

    @TempDir
    Path dir;

    final Fakes.Flavor plugin = new Fakes.Flavor();
    final Fakes.Lookup lookup = new Fakes.Lookup().add(PluginKind.FLAVOR, "flavor-vanilla", plugin);

    VerbResult run(String... words) {
        return new CommandLine(lookup, dir, () -> null)
                .run(PluginKind.FLAVOR, PluginRef.parse("flavor-vanilla"), List.of(words));
    }

    @Test
    void validateWithTheDefaultAllocation() {
        assertThat(run("validate", VANILLA).output()).isEqualTo("validate:ok\n");
        assertThat(plugin.lastAllocation).isEqualTo(Allocation.ofSize(1));
        assertThat(run("validate", VANILLA, "--json").output()).isEqualTo("{\"OK\":true}\n");
    }

    @Test
    void validateWithASizeOrLogicalIds() {
        run("validate", VANILLA, "--size", "5");
        assertThat(plugin.lastAllocation).isEqualTo(Allocation.ofSize(5));

        run("validate", VANILLA, "--logical-ids", "a,b", "--logical-ids", "c");
        assertThat(plugin.lastAllocation).isEqualTo(Allocation.ofLogicalIDs(List.of("a", "b", "c")));
    }

    @Test
    void validateWithBadAllocations() {
        VerbResult both = run("validate", VANILLA, "--size", "5", "--logical-ids", "a");
        assertThat(both.exitCode()).isEqualTo(VerbResult.USAGE);
        assertThat(both.error()).isEqualTo("use --size or --logical-ids, not both");

        assertThat(run("validate", VANILLA, "--size", "-1").error())
                .isEqualTo("--size must be a non-negative integer, not '-1'");
        assertThat(run("validate", VANILLA, "--size", "x").error())
                .isEqualTo("--size must be a non-negative integer, not 'x'");
        assertThat(plugin.calls).isEmpty();
    }

    @Test
    void validateRejected() {
        VerbResult r = run("validate", "[\"not an object\"]");

        assertThat(r.exitCode()).isEqualTo(VerbResult.FAILED);
        assertThat(r.error()).isEqualTo("json: cannot unmarshal string into Go value of type vanilla.Spec");
    }

    @Test
    void prepareAsIndentedAndCompactJson() throws Exception {
        Files.writeString(dir.resolve("vanilla.json"), VANILLA);

        VerbResult r = run("prepare", SPEC, "--properties", "vanilla.json", "--size", "5",
                "--index-group", "cattle", "--index-sequence", "3");

        assertThat(r.output()).isEqualTo("""
                {
                  "Properties": {
                    "Note": "n"
                  },
                  "Tags": {
                    "infrakit.group": "cattle",
                    "project": "infrakit",
                    "tier": "web"
                  },
                  "Init": "",
                  "LogicalID": null,
                  "Attachments": null
                }
                """);
        assertThat(plugin.lastIndex).isEqualTo(new Index("cattle", 3));
        assertThat(plugin.lastAllocation).isEqualTo(Allocation.ofSize(5));
        assertThat(run("prepare", SPEC, "--json").output()).isEqualTo("{\"Properties\":{\"Note\":\"n\"},"
                + "\"Tags\":{\"infrakit.group\":\"cattle\"},\"Init\":\"\",\"LogicalID\":null,\"Attachments\":null}\n");
        assertThat(plugin.lastIndex).isEqualTo(new Index("", 0));
    }

    @Test
    void prepareWithMissingProperties() {
        VerbResult r = run("prepare", SPEC, "--properties", "missing.json");

        assertThat(r.exitCode()).isEqualTo(VerbResult.USAGE);
        assertThat(r.error()).isEqualTo("missing.json: no such file");
    }

    @Test
    void healthyPrintsTheCodes() {
        plugin.health.put("a", Health.HEALTHY);
        plugin.health.put("b", Health.UNHEALTHY);

        assertThat(run("healthy", "a", "b", "--properties", VANILLA).output()).isEqualTo("1\n2\n");
        assertThat(run("healthy", "a", "b", "--json").output())
                .isEqualTo("[{\"ID\":\"a\",\"Health\":1},{\"ID\":\"b\",\"Health\":2}]\n");
    }

    @Test
    void healthyBuildsDescriptionsFromTheOptions() {
        plugin.health.put("db-1", Health.UNKNOWN);

        assertThat(run("healthy", "db-1", "--tags", "tier=db", "-l").output()).isEqualTo("0\n");
        assertThat(plugin.seen).containsExactly(InstanceDescription.of("db-1", "db-1", Map.of("tier", "db"), null));
    }

    @Test
    void healthyStopsAtTheFirstFailure() {
        plugin.health.put("a", Health.HEALTHY);

        VerbResult r = run("healthy", "a", "x", "a");

        assertThat(r.exitCode()).isEqualTo(VerbResult.FAILED);
        assertThat(r.output()).isEqualTo("1\n");
        assertThat(r.error()).isEqualTo("no health for x");
    }

    @Test
    void drain() {
        assertThat(run("drain", "a", "b").output()).isEqualTo("drained a\ndrained b\n");
        assertThat(run("drain", "a", "-o", "json").output()).isEqualTo("[{\"ID\":\"a\",\"OK\":true}]\n");

        VerbResult r = run("drain", "a", "bad-1", "c");
        assertThat(r.output()).isEqualTo("drained a\n");
        assertThat(r.error()).isEqualTo("cannot drain bad-1");
        assertThat(r.exitCode()).isEqualTo(VerbResult.FAILED);
    }

    @Test
    void aMissingFlavor() {
        VerbResult r = new CommandLine(lookup, dir, () -> null)
                .run(PluginKind.FLAVOR, PluginRef.parse("flavor-nope"), List.of("drain", "a"));

        assertThat(r.exitCode()).isEqualTo(VerbResult.UNAVAILABLE);
        assertThat(r.error()).isEqualTo("no Flavor plugin named 'flavor-nope' (known: flavor-vanilla)");
    }
}
