package org.infrakit.group.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.PluginException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Committed specs survive a restart; management resumes and adopts the existing instances. */
class PersistenceTest {
    @TempDir
    Path tmp;

    private Harness harness() {
        return new Harness(EngineOptions.withPollInterval(Harness.POLL), new SpecStore(tmp));
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aRestartResumesManagementAndAdoptsTheInstances() throws Exception {
        try (Harness h = harness()) {
            GroupSpec spec = Harness.cattle("workers", 3, "v1");
            h.engine.commitGroup(spec, false);
            h.engine.commitGroup(Harness.pets("pets", List.of("a", "b"), "v1"), false);
            assertThat(files()).containsExactly("pets.json", "workers.json");
            h.settle();
            assertThat(h.instances.ids()).hasSize(5);

            h.restart();
            h.instances.clearCalls();
            h.settle();
            h.advance(Harness.POLL);

            assertThat(h.instances.count("Provision")).isZero();
            assertThat(h.instances.count("Destroy")).isZero();
            assertThat(h.engine.inspectGroups()).extracting(GroupSpec::id).containsExactly("pets", "workers");
            assertThat(h.engine.describeGroup("workers").converged()).isTrue();
            assertThat(h.engine.describeGroup("pets").converged()).isTrue();
            assertThat(h.engine.commitGroup(spec, false)).isEqualTo("Noop");

            // and it is managed again: healing works
            h.instances.vanish("inst-0001");
            h.advance(Harness.POLL);
            assertThat(h.instances.ids()).hasSize(5);
        }
    }

    @Test
    void aRollInterruptedByARestartResumes() throws Exception {
        try (Harness h = harness()) {
            h.engine.commitGroup(Harness.cattle("g", 3, "v1"), false);
            h.settle();
            GroupSpec v2 = Harness.cattle("g", 3, "v2");
            h.engine.commitGroup(v2, false);
            h.restart(); // before the update ran
            h.settle();
            assertThat(h.hashes().values()).containsOnly(Harness.hashOf(v2));
            assertThat(h.instances.ids()).hasSize(3);
            assertThat(h.instances.maxCount()).isEqualTo(3);
        }
    }

    @Test
    void freeAndDestroyRemoveTheStoredSpec() throws Exception {
        try (Harness h = harness()) {
            h.engine.commitGroup(Harness.cattle("a", 1, "v1"), false);
            h.engine.commitGroup(Harness.cattle("b", 1, "v1"), false);
            h.engine.commitGroup(Harness.cattle("c", 1, "v1"), true);
            h.settle();
            assertThat(files()).containsExactly("a.json", "b.json");
            h.engine.freeGroup("a");
            h.engine.destroyGroup("b");
            assertThat(files()).isEmpty();
            h.restart();
            assertThat(h.engine.inspectGroups()).isEmpty();
        }
    }

    @Test
    void aCorruptStateFileIsSkippedAndKept() throws Exception {
        try (Harness h = harness()) {
            h.engine.commitGroup(Harness.cattle("good", 1, "v1"), false);
            Files.writeString(tmp.resolve("broken.json"), "{\"ID\":\"broken\",\"Properties\":{\"Allocation\":{\"Size\":-1}}}");
            Files.writeString(tmp.resolve("garbage.json"), "]]");
            h.restart();
            assertThat(h.engine.inspectGroups()).extracting(GroupSpec::id).containsExactly("good");
            assertThat(files()).hasSize(3).contains("good.json")
                    .anyMatch(n -> n.startsWith("broken.json.corrupt-")).anyMatch(n -> n.startsWith("garbage.json.corrupt-"));
        }
    }

    @Test
    void aSpecThatCannotBeSavedIsNotCommitted() throws Exception {
        Path blocker = tmp.resolve("file-not-dir");
        Files.writeString(blocker, "x");
        try (Harness h = new Harness(EngineOptions.withPollInterval(Harness.POLL), new SpecStore(blocker))) {
            assertThatThrownBy(() -> h.engine.commitGroup(Harness.cattle("g", 1, "v1"), false))
                    .isInstanceOf(PluginException.class)
                    .hasMessageStartingWith("Failed to save the spec of group 'g' in " + blocker);
            assertThat(h.engine.inspectGroups()).isEmpty();
            h.settle();
            assertThat(h.instances.ids()).isEmpty();
        }
    }
}
