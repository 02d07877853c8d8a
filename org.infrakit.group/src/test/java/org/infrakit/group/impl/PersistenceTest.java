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
import org.infrakit.rpc.json.ProtocolJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Committed specs survive a restart; management resumes and adopts the existing instances. A group
 * paused by a failed DestroyGroup stays paused.
 */
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

    /** Leaves group 'g' (3 members) paused by a DestroyGroup that could not destroy inst-0002. */
    private static void pauseByAFailedDestroy(Harness h) throws Exception {
        h.engine.commitGroup(Harness.cattle("g", 3, "v1"), false);
        h.settle();
        h.instances.protectedIds.add("inst-0002");
        assertThatThrownBy(() -> h.engine.destroyGroup("g")).isInstanceOf(PluginException.class)
                .hasMessageStartingWith("Failed to destroy 1 instances of group 'g'");
        assertThat(h.instances.ids()).containsExactly("inst-0002");
    }

    @Test
    void aGroupPausedByAFailedDestroyStaysPausedAfterARestart() throws Exception {
        try (Harness h = harness()) {
            pauseByAFailedDestroy(h);
            assertThat(files()).containsExactly("g.json", "g.paused");
            assertThat(Files.readString(tmp.resolve("g.json"))).isEqualTo(ProtocolJson.write(Harness.cattle("g", 3, "v1")));
            assertThat(Files.readString(tmp.resolve("g.paused"))).startsWith(
                    "Paused since a DestroyGroup failed: Failed to destroy 1 instances of group 'g': inst-0002");

            try (LogCapture log = new LogCapture(GroupEngine.class)) {
                h.restart();
                assertThat(log.lines()).containsExactly("WARN Group 'g' is paused since a DestroyGroup failed: nothing is "
                        + "created or destroyed for it until DestroyGroup is called again or a CommitGroup manages it again");
            }
            h.instances.clearCalls();
            h.settle();
            for (int i = 0; i < 5; i++) {
                h.advance(Harness.POLL);
            }
            assertThat(h.instances.calls()).isEmpty();
            assertThat(h.instances.ids()).containsExactly("inst-0002");
            assertThat(h.engine.inspectGroups()).extracting(GroupSpec::id).containsExactly("g");
            assertThat(h.engine.describeGroup("g").converged()).isFalse();

            h.instances.protectedIds.clear();
            h.engine.destroyGroup("g");
            assertThat(h.instances.ids()).isEmpty();
            assertThat(h.engine.inspectGroups()).isEmpty();
            assertThat(files()).isEmpty();
            h.restart();
            h.advance(Harness.POLL);
            assertThat(h.engine.inspectGroups()).isEmpty();
            assertThat(h.instances.ids()).isEmpty();
        }
    }

    @Test
    void aCommitAfterARestartManagesAPausedGroupAgain() throws Exception {
        try (Harness h = harness()) {
            pauseByAFailedDestroy(h);
            h.restart();
            h.advance(Harness.POLL);
            assertThat(h.instances.ids()).containsExactly("inst-0002");

            h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false);
            assertThat(files()).containsExactly("g.json");
            h.settle();
            assertThat(h.instances.ids()).hasSize(2).contains("inst-0002");
            assertThat(h.engine.describeGroup("g").converged()).isTrue();

            // managed, not paused, after the next restart too
            try (LogCapture log = new LogCapture(GroupEngine.class)) {
                h.restart();
                assertThat(log.lines()).containsExactly("INFO Resumed group 'g': Managing 2 instances");
            }
            h.instances.vanish("inst-0002");
            h.advance(Harness.POLL);
            assertThat(h.instances.ids()).hasSize(2);
            assertThat(h.engine.describeGroup("g").converged()).isTrue();
        }
    }

    @Test
    void freeRemovesThePauseWithTheSpec() throws Exception {
        try (Harness h = harness()) {
            pauseByAFailedDestroy(h);
            h.engine.freeGroup("g");
            assertThat(files()).isEmpty();
            h.restart();
            assertThat(h.engine.inspectGroups()).isEmpty();
        }
    }

    @Test
    void aPauseMarkerWithoutItsSpecIsRemovedAtLoad() throws Exception {
        try (Harness h = harness()) {
            h.engine.commitGroup(Harness.cattle("kept", 1, "v1"), false);
            h.settle();
            Files.writeString(tmp.resolve("gone.paused"), "Paused since a DestroyGroup failed: …\n");
            Files.writeString(tmp.resolve(".tmp-4711.paused"), "Paused since");
            try (LogCapture log = new LogCapture(SpecStore.class)) {
                h.restart();
                assertThat(log.lines()).containsExactly(
                        "INFO Removed the pause marker " + tmp.resolve("gone.paused") + ": no group is stored for it");
            }
            assertThat(files()).containsExactly("kept.json");
            h.instances.vanish("inst-0001");
            h.advance(Harness.POLL);
            assertThat(h.instances.ids()).hasSize(1); // managed, not paused
        }
    }

    @Test
    void theMarkerOfASpecPutAsideIsRemovedWithIt() throws Exception {
        try (Harness h = harness()) {
            Files.writeString(tmp.resolve("g.json"), "{\"ID\":\"g\",\"Properties\":{\"Allocation\":{\"Size\":-1}}}");
            Files.writeString(tmp.resolve("g.paused"), "Paused since a DestroyGroup failed: …\n");
            try (LogCapture log = new LogCapture(StoredGroups.class)) {
                h.restart();
                assertThat(log.lines()).containsExactly(
                        "INFO Removed the pause marker " + tmp.resolve("g.paused") + " with the spec it belonged to");
            }
            assertThat(h.engine.inspectGroups()).isEmpty();
            assertThat(files()).singleElement().asString().startsWith("g.json.corrupt-");

            // so a group committed again under that ID is not paused by it

            h.engine.commitGroup(Harness.cattle("g", 1, "v1"), false);
            assertThat(files()).hasSize(2).contains("g.json").anyMatch(n -> n.startsWith("g.json.corrupt-"));
            h.restart();
            h.settle();
            assertThat(h.instances.ids()).hasSize(1);
            assertThat(h.engine.describeGroup("g").converged()).isTrue();
        }
    }

    @Test
    void aPauseThatCannotBeStoredIsReported() throws Exception {
        Files.createDirectories(tmp.resolve("g.paused").resolve("in-the-way"));
        try (Harness h = harness()) {
            h.engine.commitGroup(Harness.cattle("g", 3, "v1"), false);
            h.settle();
            h.instances.protectedIds.add("inst-0002");
            assertThatThrownBy(() -> h.engine.destroyGroup("g")).isInstanceOf(PluginException.class)
                    .hasMessageStartingWith("Failed to destroy 1 instances of group 'g': inst-0002 (instance inst-0002 is "
                            + "protected); the group is kept, paused: DestroyGroup again to retry, or CommitGroup to manage "
                            + "it again; Failed to store the pause of group 'g' in " + tmp + ": ")
                    .hasMessageEndingWith(", so a restart manages the group again");
            // paused all the same until then
            h.advance(Harness.POLL);
            assertThat(h.instances.ids()).containsExactly("inst-0002");
        }
    }

    @Test
    void aCommitThatCannotRemoveThePauseKeepsTheGroupPaused() throws Exception {
        try (Harness h = harness()) {
            pauseByAFailedDestroy(h);
            Files.delete(tmp.resolve("g.paused"));
            Files.createDirectories(tmp.resolve("g.paused").resolve("in-the-way"));

            assertThatThrownBy(() -> h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false))
                    .isInstanceOf(PluginException.class)
                    .hasMessageStartingWith("Failed to remove the pause marker of group 'g' from " + tmp + ": ")
                    .hasMessageEndingWith("; the spec is saved but the group stays paused: commit again to retry");
            h.advance(Harness.POLL);
            assertThat(h.instances.ids()).containsExactly("inst-0002");
            assertThat(h.engine.describeGroup("g").converged()).isFalse();

            Files.delete(tmp.resolve("g.paused").resolve("in-the-way"));
            h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false);
            h.settle();
            assertThat(h.instances.ids()).hasSize(2);
            assertThat(files()).containsExactly("g.json");
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
