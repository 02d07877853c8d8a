package org.infrakit.group.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.infrakit.spi.GroupDescription;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.Health;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine on virtual time with fake plugins: scaling, healing, rolling, quorum, free, destroy. */
class GroupEngineTest {

    @Test
    void aNewGroupIsCreatedWithTheGroupsTagsAndSequenceNumbers() throws Exception {
        try (Harness h = new Harness()) {
            GroupSpec spec = Harness.cattle("workers", 3, "v1");
            assertThat(h.engine.commitGroup(spec, false)).isEqualTo("Managing 3 instances");
            assertThat(h.instances.ids()).isEmpty(); // the first pass has not run yet

            h.settle();

            assertThat(h.instances.ids()).containsExactly("inst-0001", "inst-0002", "inst-0003");
            for (FakeInstancePlugin.Instance i : h.instances.instances()) {
                assertThat(i.tags()).containsEntry(GroupTags.GROUP, "workers")
                        .containsEntry(GroupTags.CONFIG_SHA, Harness.hashOf(spec))
                        .containsEntry("flavor", "fake");
                assertThat(i.spec().properties().json()).isEqualTo("{\"note\":\"v1\"}");
                assertThat(i.spec().logicalID()).isNull();
            }
            assertThat(h.flavor.sequences()).containsExactly(0L, 1L, 2L);
            GroupDescription d = h.engine.describeGroup("workers");
            assertThat(d.instances()).hasSize(3);
            assertThat(d.converged()).isTrue();
        }
    }

    @Test
    void prepareGetsTheGroupSpecAndProvisionTheFlavorsSpec() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.cattle("g", 1, "v1"), false);
            h.settle();
            InstanceSpec sent = h.instances.provisioned().get(0);
            assertThat(sent.tags()).containsOnlyKeys(GroupTags.GROUP, GroupTags.CONFIG_SHA, "flavor");
            assertThat(sent.init()).isEmpty();
            assertThat(sent.attachments()).isNull();
        }
    }

    @Test
    void scalesUpAndDownRemovingTheSmallestIdsFirst() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.cattle("g", 3, "v1"), false);
            h.settle();

            assertThat(h.engine.commitGroup(Harness.cattle("g", 5, "v1"), false))
                    .isEqualTo("Adding 2 instances to increase the group size to 5");
            h.settle();
            assertThat(h.instances.ids()).hasSize(5);
            assertThat(h.flavor.sequences()).containsExactly(0L, 1L, 2L, 3L, 4L);
            assertThat(h.engine.describeGroup("g").converged()).isTrue();

            h.instances.clearCalls();
            assertThat(h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false))
                    .isEqualTo("Terminating 3 instances to reduce the group size to 2");
            h.settle();
            assertThat(h.instances.ids()).containsExactly("inst-0004", "inst-0005");
            assertThat(h.instances.calls()).filteredOn(c -> c.startsWith("Destroy")).containsExactly(
                    "Destroy inst-0001 terminate", "Destroy inst-0002 terminate", "Destroy inst-0003 terminate");
            assertThat(h.flavor.calls()).contains("Drain inst-0001", "Drain inst-0002", "Drain inst-0003");
            assertThat(h.engine.describeGroup("g").converged()).isTrue();
        }
    }

    @Test
    void anInstanceThatVanishesIsReplacedAtTheNextPass() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.cattle("g", 3, "v1"), false);
            h.settle();
            h.instances.vanish("inst-0002");
            assertThat(h.engine.describeGroup("g").converged()).isFalse();

            h.advance(Harness.POLL.minusMillis(1));
            assertThat(h.instances.ids()).hasSize(2);
            h.advance(Duration.ofMillis(1));

            assertThat(h.instances.ids()).containsExactly("inst-0001", "inst-0003", "inst-0004");
            assertThat(h.engine.describeGroup("g").converged()).isTrue();
        }
    }

    @Test
    void anInstanceThatVanishesBeforeItWasEverListedIsReplacedAfterTheGrace() throws Exception {
        EngineOptions options = new EngineOptions(Duration.ofSeconds(1), EngineOptions.DEFAULT_UPDATE_POLL, 8,
                Duration.ofSeconds(5));
        try (Harness h = new Harness(options, null)) {
            h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false);
            h.settle();
            h.instances.vanish("inst-0001"); // it may just not be listed yet: counted for 5 s
            h.advance(Duration.ofSeconds(4));
            assertThat(h.instances.ids()).containsExactly("inst-0002");
            h.advance(Duration.ofSeconds(1));
            assertThat(h.instances.ids()).containsExactly("inst-0002", "inst-0003");
        }
    }

    @Test
    void aSteadyGroupOnlyListsOncePerPollInterval() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false);
            h.settle();
            h.instances.clearCalls();
            h.advance(Harness.POLL.multipliedBy(3));
            assertThat(h.instances.calls()).containsExactly("DescribeInstances", "DescribeInstances",
                    "DescribeInstances");
            assertThat(h.flavor.count("Healthy")).isZero(); // health only matters during updates
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Rolling updates

    @Test
    void aRollingUpdateReplacesOneInstanceAtATimeLowestIdFirst() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.cattle("g", 3, "v1"), false);
            h.settle();
            h.instances.clearCalls();
            h.instances.resetMaxCount();

            GroupSpec v2 = Harness.cattle("g", 3, "v2");
            assertThat(h.engine.commitGroup(v2, false)).isEqualTo("Performing a rolling update on 3 instances");
            assertThat(h.engine.describeGroup("g").converged()).isFalse();
            h.settle();

            assertThat(h.instances.calls()).filteredOn(c -> c.startsWith("Destroy") || c.startsWith("Provision")).containsExactly(
                    "Destroy inst-0001 rolling_update", "Provision",
                    "Destroy inst-0002 rolling_update", "Provision",
                    "Destroy inst-0003 rolling_update", "Provision");
            assertThat(h.instances.maxCount()).isEqualTo(3);
            assertThat(h.hashes().values()).containsOnly(Harness.hashOf(v2));
            assertThat(h.engine.describeGroup("g").converged()).isTrue();
        }
    }

    @Test
    void aDestroyThatFailsBecauseTheInstanceIsAlreadyGoneCountsAsDone() throws Exception {
        try (Harness h = new Harness(); LogCapture log = new LogCapture(GroupLoop.class.getPackageName())) {
            h.engine.commitGroup(Harness.cattle("g", 3, "v1"), false);
            h.settle();
            // removed by someone else between the listing and the Destroy: every Destroy of it would fail
            h.instances.goneBeforeDestroy.add("inst-0001");
            h.engine.commitGroup(Harness.cattle("g", 3, "v2"), false);
            h.settle();

            // the roll goes on at once instead of retrying a Destroy that can never succeed
            assertThat(h.instances.calls()).filteredOn(c -> c.startsWith("Destroy")).containsExactly(
                    "Destroy inst-0001 rolling_update", "Destroy inst-0002 rolling_update",
                    "Destroy inst-0003 rolling_update");
            assertThat(h.hashes().values()).hasSize(3).containsOnly(Harness.hashOf(Harness.cattle("g", 3, "v2")));
            assertThat(h.engine.describeGroup("g").converged()).isTrue();
            assertThat(log.lines()).noneMatch(l -> l.contains("Failed to destroy"))
                    .contains("INFO Group 'g': instance inst-0001 is no longer listed, so it counts as destroyed "
                            + "(Destroy said: remove /tmp/instances/inst-0001: no such file or directory)");

            // a Destroy that fails for an instance still listed still fails
            h.instances.protectedIds.add("inst-0004");
            h.engine.commitGroup(Harness.cattle("g", 2, "v2"), false);
            h.settle();
            assertThat(h.instances.ids()).contains("inst-0004");
            assertThat(log.lines()).contains("WARN Group 'g': Failed to destroy inst-0004: instance inst-0004 is protected");
        }
    }

    @Test
    void aClosedReconcileGateStopsEveryCorrectionUntilItOpens() throws Exception {
        try (Harness h = new Harness()) {
            java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean();
            h.engine.close();
            h.engine = new GroupEngine(h.plugins, h.clock, Runnable::run, EngineOptions.withPollInterval(Harness.POLL),
                    null, group -> open.get());
            assertThat(h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false)).isEqualTo("Managing 2 instances");
            h.instances.clearCalls(); // the commit's Validate: calls of the API are not gated
            h.settle();
            h.advance(Harness.POLL.multipliedBy(3));
            assertThat(h.instances.calls()).isEmpty(); // not even listed: a listing may relabel
            assertThat(h.engine.describeGroup("g").converged()).isFalse();

            open.set(true);
            h.advance(Harness.POLL);
            assertThat(h.instances.ids()).containsExactly("inst-0001", "inst-0002");
            assertThat(h.engine.describeGroup("g").converged()).isTrue();

            open.set(false);
            h.instances.vanish("inst-0001");
            h.advance(Harness.POLL.multipliedBy(3));
            assertThat(h.instances.count("Provision")).isEqualTo(2);
        }
    }

    @Test
    void anUnhealthyReplacementStopsTheUpdateWithoutRollback() throws Exception {
        try (Harness h = new Harness()) {
            GroupSpec v1 = Harness.cattle("g", 3, "v1");
            h.engine.commitGroup(v1, false);
            h.settle();
            h.flavor.health = d -> Health.UNHEALTHY;

            h.engine.commitGroup(Harness.cattle("g", 3, "v2"), false);
            h.settle();
            h.advance(Duration.ofMinutes(1));

            assertThat(h.instances.count("Destroy")).isEqualTo(1);
            assertThat(h.hashes().values()).containsOnlyOnce(Harness.hashOf(Harness.cattle("g", 3, "v2")));
            assertThat(h.hashes().values()).filteredOn(Harness.hashOf(v1)::equals).hasSize(2);
            assertThat(h.instances.ids()).hasSize(3);
            // no update in flight any more, but not every member is on the current configuration
            assertThat(h.engine.describeGroup("g").converged()).isFalse();
        }
    }

    @Test
    void aReplacementThatTurnsUnhealthyAfterItWasHealthyStopsTheUpdate() throws Exception {
        try (Harness h = new Harness(); LogCapture log = new LogCapture(GroupLoop.class.getPackageName())) {
            GroupSpec v1 = Harness.cattle("g", 3, "v1");
            h.engine.commitGroup(v1, false);
            h.settle();
            // the first replacement is healthy, the second one's health is not known yet
            h.flavor.health = d -> d.id().equals("inst-0004") ? Health.HEALTHY : Health.UNKNOWN;
            h.engine.commitGroup(Harness.cattle("g", 3, "v2"), false);
            h.settle();
            assertThat(h.instances.calls()).filteredOn(c -> c.startsWith("Destroy"))
                    .containsExactly("Destroy inst-0001 rolling_update", "Destroy inst-0002 rolling_update");
            long asked = h.flavor.count("Healthy inst-0004");

            // then the first replacement turns unhealthy, while the second one becomes healthy
            h.flavor.health = d -> d.id().equals("inst-0004") ? Health.UNHEALTHY : Health.HEALTHY;
            h.advance(Duration.ofMinutes(1));

            assertThat(h.flavor.count("Healthy inst-0004")).isGreaterThan(asked); // asked again
            assertThat(log.lines()).contains("WARN Update to g failed: Instance inst-0004 is unhealthy");
            assertThat(h.instances.count("Destroy")).isEqualTo(2); // nothing more destroyed
            assertThat(h.instances.ids()).containsExactly("inst-0003", "inst-0004", "inst-0005");
            assertThat(h.hashes()).containsEntry("inst-0003", Harness.hashOf(v1));
            assertThat(h.engine.describeGroup("g").converged()).isFalse();
        }
    }

    @Test
    void unknownHealthStallsTheUpdateUntilTheReplacementIsHealthy() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.cattle("g", 3, "v1"), false);
            h.settle();
            h.flavor.health = d -> Health.UNKNOWN;

            h.engine.commitGroup(Harness.cattle("g", 3, "v2"), false);
            h.settle();
            h.advance(Duration.ofSeconds(30));
            assertThat(h.instances.count("Destroy")).isEqualTo(1);
            assertThat(h.engine.describeGroup("g").converged()).isFalse();

            h.flavor.health = d -> Health.HEALTHY;
            h.advance(EngineOptions.DEFAULT_UPDATE_POLL);

            assertThat(h.instances.count("Destroy")).isEqualTo(3);
            assertThat(h.hashes().values()).containsOnly(Harness.hashOf(Harness.cattle("g", 3, "v2")));
            assertThat(h.engine.describeGroup("g").converged()).isTrue();
        }
    }

    @Test
    void aStalledUpdateFallsBackToThePollInterval() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false);
            h.settle();
            h.flavor.health = d -> Health.UNKNOWN;
            h.engine.commitGroup(Harness.cattle("g", 2, "v2"), false);
            h.settle();
            h.advance(Duration.ofSeconds(61));
            long before = h.flavor.count("Healthy");
            h.advance(Duration.ofSeconds(30));
            assertThat(h.flavor.count("Healthy") - before).isEqualTo(3); // once per poll interval
            h.flavor.health = d -> Health.HEALTHY;
            h.advance(Harness.POLL);
            assertThat(h.hashes().values()).containsOnly(Harness.hashOf(Harness.cattle("g", 2, "v2")));
        }
    }

    @Test
    void aRollingUpdateIsPacedByHealthNotByThePollInterval() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.cattle("g", 3, "v1"), false);
            h.settle();
            // a replacement becomes healthy one second after it was created
            h.flavor.health = d -> h.clock.nanoTime() - h.instances.get(d.id()).createdAt() >= 1_000_000_000L
                    ? Health.HEALTHY : Health.UNKNOWN;

            h.engine.commitGroup(Harness.cattle("g", 3, "v2"), false);
            h.settle();
            h.advance(Duration.ofMillis(3_700));

            assertThat(h.hashes().values()).containsOnly(Harness.hashOf(Harness.cattle("g", 3, "v2")));
            assertThat(h.engine.describeGroup("g").converged()).isTrue();
        }
    }

    @Test
    void theFirstReplacementWaitsForMembersAlreadyOnTheNewConfigurationToBeHealthy() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false);
            h.settle();
            GroupSpec v2 = Harness.cattle("g", 2, "v2");
            // one member already on v2 (e.g. a roll that was interrupted), not healthy yet
            h.instances.vanish("inst-0001");
            h.instances.add("inst-0000", null, Map.of(GroupTags.GROUP, "g", GroupTags.CONFIG_SHA, Harness.hashOf(v2)));
            h.flavor.health = d -> Health.UNKNOWN;

            assertThat(h.engine.commitGroup(v2, false)).isEqualTo("Performing a rolling update on 1 instances");
            h.advance(Duration.ofSeconds(5));
            assertThat(h.instances.count("Destroy")).isZero();

            h.flavor.health = d -> Health.HEALTHY;
            h.advance(Duration.ofSeconds(1));
            assertThat(h.instances.calls()).contains("Destroy inst-0002 rolling_update");
            assertThat(h.hashes().values()).containsOnly(Harness.hashOf(v2));
        }
    }

    @Test
    void aRollWithGrowthAddsTheNewInstancesOnlyAfterTheRoll() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false);
            h.settle();
            h.instances.resetMaxCount();
            h.flavor.health = d -> Health.UNKNOWN;
            GroupSpec v2 = Harness.cattle("g", 4, "v2");

            assertThat(h.engine.commitGroup(v2, false)).isEqualTo(
                    "Performing a rolling update on 2 instances, then adding 2 instances to increase the group size to 4");
            h.advance(Duration.ofSeconds(20));
            assertThat(h.instances.ids()).hasSize(2);
            assertThat(h.instances.maxCount()).isEqualTo(2);

            h.flavor.health = d -> Health.HEALTHY;
            h.advance(Duration.ofSeconds(1));
            assertThat(h.instances.ids()).hasSize(4);
            assertThat(h.hashes().values()).containsOnly(Harness.hashOf(v2));
            assertThat(h.engine.describeGroup("g").converged()).isTrue();
        }
    }

    @Test
    void aRollWithShrinkingTerminatesFirstThenRollsTheRest() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.cattle("g", 3, "v1"), false);
            h.settle();
            h.instances.clearCalls();
            GroupSpec v2 = Harness.cattle("g", 1, "v2");

            assertThat(h.engine.commitGroup(v2, false)).isEqualTo(
                    "Terminating 2 instances to reduce the group size to 1, then performing a rolling update on 1 instances");
            h.settle();
            assertThat(h.instances.calls()).filteredOn(c -> c.startsWith("Destroy")).containsExactly(
                    "Destroy inst-0001 terminate", "Destroy inst-0002 terminate", "Destroy inst-0003 rolling_update");
            assertThat(h.instances.ids()).containsExactly("inst-0004");
            assertThat(h.hashes().values()).containsOnly(Harness.hashOf(v2));
        }
    }

    @Test
    void aNewCommitDuringAnUpdateHaltsItAndContinuesFromTheLiveState() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.cattle("g", 3, "v1"), false);
            h.settle();
            h.flavor.health = d -> Health.UNKNOWN;
            h.engine.commitGroup(Harness.cattle("g", 3, "v2"), false);
            h.settle(); // one member replaced, waiting for its health
            assertThat(h.instances.ids()).containsExactly("inst-0002", "inst-0003", "inst-0004");

            GroupSpec v3 = Harness.cattle("g", 3, "v3");
            assertThat(h.engine.commitGroup(v3, true)).isEqualTo("Performing a rolling update on 3 instances");
            assertThat(h.engine.commitGroup(v3, false)).isEqualTo("Performing a rolling update on 3 instances");
            h.settle();
            assertThat(h.instances.calls()).contains("Destroy inst-0002 rolling_update");

            h.flavor.health = d -> Health.HEALTHY;
            h.advance(Duration.ofSeconds(1));
            assertThat(h.instances.ids()).hasSize(3);
            assertThat(h.hashes().values()).containsOnly(Harness.hashOf(v3));
            assertThat(h.engine.describeGroup("g").converged()).isTrue();
            assertThat(h.engine.commitGroup(v3, false)).isEqualTo("Noop");
        }
    }

    @Test
    void reCommittingTheSameSpecWithStaleMembersRollsThem() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false);
            h.settle();
            h.flavor.health = d -> Health.UNHEALTHY;
            GroupSpec v2 = Harness.cattle("g", 2, "v2");
            h.engine.commitGroup(v2, false);
            h.settle(); // fails after one replacement
            h.flavor.health = d -> Health.HEALTHY;

            assertThat(h.engine.commitGroup(v2, false)).isEqualTo("Performing a rolling update on 1 instances");
            h.settle();
            assertThat(h.hashes().values()).containsOnly(Harness.hashOf(v2));
        }
    }

    @Test
    void changingOnlyTheSizeNeverRolls() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false);
            h.settle();
            h.engine.commitGroup(Harness.cattle("g", 3, "v1"), false);
            h.settle();
            assertThat(h.instances.count("Destroy")).isZero();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Quorum groups

    @Test
    void aQuorumGroupHasOneInstancePerLogicalId() throws Exception {
        try (Harness h = new Harness()) {
            assertThat(h.engine.commitGroup(Harness.pets("q", List.of("a", "b", "c"), "v1"), false))
                    .isEqualTo("Managing 3 instances");
            h.settle();
            assertThat(h.instances.instances()).extracting(FakeInstancePlugin.Instance::logicalID)
                    .containsExactly("a", "b", "c");
            assertThat(h.engine.describeGroup("q").converged()).isTrue();

            h.instances.vanish("inst-0002");
            assertThat(h.engine.describeGroup("q").converged()).isFalse();
            h.advance(Harness.POLL);
            assertThat(h.instances.instances()).extracting(FakeInstancePlugin.Instance::logicalID)
                    .containsExactlyInAnyOrder("a", "b", "c");
            assertThat(h.instances.get("inst-0004").logicalID()).isEqualTo("b");

            // an instance with an unknown logical ID is removed; one without a logical ID is left alone
            h.instances.add("inst-0100", "z", Map.of(GroupTags.GROUP, "q", GroupTags.CONFIG_SHA, "x"));
            h.instances.add("inst-0101", null, Map.of(GroupTags.GROUP, "q", GroupTags.CONFIG_SHA, "x"));
            h.advance(Harness.POLL);
            assertThat(h.instances.ids()).doesNotContain("inst-0100").contains("inst-0101");
            assertThat(h.instances.calls()).contains("Destroy inst-0100 terminate");
        }
    }

    @Test
    void aQuorumGroupRefusesLogicalIdChanges() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.pets("q", List.of("a", "b"), "v1"), false);
            h.settle();
            assertThatThrownBy(() -> h.engine.commitGroup(Harness.pets("q", List.of("b", "a"), "v1"), false))
                    .isInstanceOf(PluginException.class)
                    .hasMessage("Logical ID changes to a quorum is not currently supported");
            assertThatThrownBy(() -> h.engine.commitGroup(Harness.cattle("q", 2, "v1"), true))
                    .hasMessage("Logical ID changes to a quorum is not currently supported");
            assertThat(h.engine.commitGroup(Harness.pets("q", List.of("a", "b"), "v1"), false)).isEqualTo("Noop");
        }
    }

    @Test
    void aQuorumGroupRollsOneAtATimeGatedByHealth() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.pets("q", List.of("a", "b", "c"), "v1"), false);
            h.settle();
            h.instances.clearCalls();
            h.flavor.health = d -> Health.UNKNOWN;
            GroupSpec v2 = Harness.pets("q", List.of("a", "b", "c"), "v2");

            assertThat(h.engine.commitGroup(v2, false)).isEqualTo("Performing a rolling update on 3 instances");
            h.advance(Duration.ofSeconds(30));
            assertThat(h.instances.calls()).filteredOn(c -> c.startsWith("Destroy"))
                    .containsExactly("Destroy inst-0001 rolling_update");
            assertThat(h.instances.get("inst-0004").logicalID()).isEqualTo("a");

            h.flavor.health = d -> Health.HEALTHY;
            h.advance(Duration.ofSeconds(1));
            assertThat(h.hashes().values()).containsOnly(Harness.hashOf(v2));
            assertThat(h.instances.instances()).extracting(FakeInstancePlugin.Instance::logicalID)
                    .containsExactlyInAnyOrder("a", "b", "c");
            assertThat(h.engine.describeGroup("q").converged()).isTrue();
        }
    }

    @Test
    void reCommittingAQuorumDuringItsRollLetsTheRollGoOn() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.pets("q", List.of("a", "b"), "v1"), false);
            h.settle();
            h.flavor.health = d -> Health.UNKNOWN;
            GroupSpec v2 = Harness.pets("q", List.of("a", "b"), "v2");
            h.engine.commitGroup(v2, false);
            h.settle();
            assertThat(h.engine.commitGroup(v2, false)).isEqualTo("Noop");
            h.flavor.health = d -> Health.HEALTHY;
            h.advance(Duration.ofSeconds(1));
            assertThat(h.hashes().values()).containsOnly(Harness.hashOf(v2));
            assertThat(h.engine.describeGroup("q").converged()).isTrue();
        }
    }

    @Test
    void aScaledGroupCannotBeSwitchedToLogicalIds() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false);
            h.settle();
            assertThatThrownBy(() -> h.engine.commitGroup(Harness.pets("g", List.of("a"), "v1"), false))
                    .hasMessage("Changing a group from Size to LogicalIDs is not currently supported");
            h.advance(Harness.POLL);
            assertThat(h.instances.ids()).hasSize(2);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Free, destroy, describe, inspect, pretend

    @Test
    void freeStopsManagingAndLeavesTheInstances() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false);
            h.settle();
            h.engine.freeGroup("g");
            assertThatThrownBy(() -> h.engine.describeGroup("g")).hasMessage("Group 'g' is not being watched");
            assertThatThrownBy(() -> h.engine.freeGroup("g")).hasMessage("Group 'g' is not being watched");
            h.instances.vanish("inst-0001");
            h.instances.clearCalls();
            h.advance(Harness.POLL.multipliedBy(3));
            assertThat(h.instances.calls()).isEmpty();
            assertThat(h.instances.ids()).containsExactly("inst-0002");
            assertThat(h.engine.inspectGroups()).isEmpty();
            // committing again adopts the instance that is left
            assertThat(h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false)).isEqualTo("Managing 2 instances");
            h.settle();
            assertThat(h.instances.ids()).containsExactly("inst-0002", "inst-0003");
        }
    }

    @Test
    void destroyRemovesEveryMemberAndStopsManaging() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.cattle("g", 3, "v1"), false);
            h.engine.commitGroup(Harness.cattle("other", 1, "v1"), false);
            h.settle();
            h.engine.destroyGroup("g");
            assertThat(h.instances.instances()).extracting(i -> i.tags().get(GroupTags.GROUP)).containsOnly("other");
            assertThat(h.instances.calls()).contains("Destroy inst-0001 terminate");
            assertThat(h.flavor.calls()).contains("Drain inst-0001");
            assertThatThrownBy(() -> h.engine.destroyGroup("g")).hasMessage("Group 'g' is not being watched");
            h.advance(Harness.POLL);
            assertThat(h.instances.ids()).hasSize(1);
        }
    }

    @Test
    void destroyReportsInstancesItCouldNotDestroy() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false);
            h.settle();
            h.instances.destroyError = "the cloud says no";
            assertThatThrownBy(() -> h.engine.destroyGroup("g")).isInstanceOf(PluginException.class)
                    .hasMessage("Failed to destroy 2 instances of group 'g': inst-0001 (the cloud says no), "
                            + "inst-0002 (the cloud says no); the group is kept, paused: DestroyGroup again to retry, or CommitGroup "
                            + "to manage it again");
        }
    }

    @Test
    void destroyWithoutItsPluginsChangesNothingAndKeepsTheGroup(@TempDir Path tmp) throws Exception {
        try (Harness h = new Harness(EngineOptions.withPollInterval(Harness.POLL), new SpecStore(tmp))) {
            h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false);
            h.settle();

            h.unregister(h.instances);
            assertThatThrownBy(() -> h.engine.destroyGroup("g")).isInstanceOf(PluginException.class)
                    .hasMessage("Failed to find Instance plugin 'instance-test':plugin not found:instance-test");
            assertThat(h.engine.inspectGroups()).extracting(GroupSpec::id).containsExactly("g");
            assertThat(tmp.resolve("g.json")).isRegularFile();

            h.register(h.instances, "instance-test");
            h.unregister(h.flavor); // without it nothing could be drained
            assertThatThrownBy(() -> h.engine.destroyGroup("g")).isInstanceOf(PluginException.class)
                    .hasMessage("Failed to find Flavor plugin 'flavor-test':plugin not found:flavor-test");
            assertThat(h.instances.count("Destroy")).isZero();
            assertThat(tmp.resolve("g.json")).isRegularFile();
            assertThat(tmp.resolve("g.paused")).doesNotExist(); // not paused: still managed

            // still managed: the group heals once its plugins are back, and can be destroyed then
            h.instances.vanish("inst-0001");
            h.register(h.flavor, "flavor-test");
            h.advance(Harness.POLL);
            assertThat(h.instances.ids()).hasSize(2);
            h.engine.destroyGroup("g");
            assertThat(h.instances.ids()).isEmpty();
            assertThat(h.engine.inspectGroups()).isEmpty();
            assertThat(tmp.resolve("g.json")).doesNotExist();
        }
    }

    @Test
    void destroyThatLeavesAMemberKeepsTheGroupAndCanBeRetried(@TempDir Path tmp) throws Exception {
        try (Harness h = new Harness(EngineOptions.withPollInterval(Harness.POLL), new SpecStore(tmp))) {
            h.engine.commitGroup(Harness.cattle("g", 3, "v1"), false);
            h.settle();
            h.instances.protectedIds.add("inst-0002");

            assertThatThrownBy(() -> h.engine.destroyGroup("g")).isInstanceOf(PluginException.class)
                    .hasMessage("Failed to destroy 1 instances of group 'g': inst-0002 (instance inst-0002 is protected); "
                            + "the group is kept, paused: DestroyGroup again to retry, or CommitGroup to manage it again");
            assertThat(h.instances.ids()).containsExactly("inst-0002");
            assertThat(h.engine.inspectGroups()).extracting(GroupSpec::id).containsExactly("g");
            assertThat(h.engine.describeGroup("g").instances()).hasSize(1);
            assertThat(h.engine.describeGroup("g").converged()).isFalse();
            assertThat(tmp.resolve("g.json")).isRegularFile();
            assertThat(tmp.resolve("g.paused")).isRegularFile();
            // paused: what was destroyed is not created again
            h.advance(Harness.POLL);
            h.advance(Harness.POLL);
            assertThat(h.instances.ids()).containsExactly("inst-0002");

            h.instances.protectedIds.clear();
            h.engine.destroyGroup("g");
            assertThat(h.instances.ids()).isEmpty();
            assertThat(h.engine.inspectGroups()).isEmpty();
            assertThat(tmp.resolve("g.json")).doesNotExist();
            assertThat(tmp.resolve("g.paused")).doesNotExist();
            assertThatThrownBy(() -> h.engine.describeGroup("g")).hasMessage("Group 'g' is not being watched");
            h.advance(Harness.POLL);
            assertThat(h.instances.ids()).isEmpty();
        }
    }

    @Test
    void aCommitManagesAGroupPausedByAFailedDestroyAgain(@TempDir Path tmp) throws Exception {
        try (Harness h = new Harness(EngineOptions.withPollInterval(Harness.POLL), new SpecStore(tmp))) {
            h.engine.commitGroup(Harness.cattle("g", 3, "v1"), false);
            h.settle();
            h.instances.protectedIds.add("inst-0002");
            assertThatThrownBy(() -> h.engine.destroyGroup("g")).isInstanceOf(PluginException.class);
            h.advance(Harness.POLL);
            assertThat(h.instances.ids()).containsExactly("inst-0002");

            assertThat(tmp.resolve("g.paused")).isRegularFile();

            h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false);
            assertThat(tmp.resolve("g.paused")).doesNotExist();
            h.settle();

            assertThat(h.instances.ids()).hasSize(2).contains("inst-0002");
            assertThat(h.engine.describeGroup("g").converged()).isTrue();
        }
    }

    @Test
    void everyInstanceIsDrainedBeforeItIsDestroyed() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.cattle("g", 3, "v1"), false);
            h.settle();
            h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false); // scale-down
            h.settle();
            h.engine.commitGroup(Harness.cattle("g", 2, "v2"), false); // rolling update
            h.settle();
            h.engine.destroyGroup("g");

            assertThat(h.callsInOrder()).filteredOn(c -> c.startsWith("Drain") || c.startsWith("Destroy")).containsExactly(
                    "Drain inst-0001", "Destroy inst-0001 terminate",
                    "Drain inst-0002", "Destroy inst-0002 rolling_update",
                    "Drain inst-0003", "Destroy inst-0003 rolling_update",
                    "Drain inst-0004", "Destroy inst-0004 terminate",
                    "Drain inst-0005", "Destroy inst-0005 terminate");
        }
    }

    @Test
    void describeReturnsTheListingErrorAndInspectReturnsTheParsedSpecs() throws Exception {
        try (Harness h = new Harness()) {
            assertThat(h.engine.inspectGroups()).isEmpty();
            h.engine.commitGroup(new GroupSpec("g", org.infrakit.spi.RawJson.of(
                    "{\"allocation\":{\"size\":1},\"Extra\":1,\"instance\":{\"plugin\":\"instance-test\"},"
                            + "\"Flavor\":{\"Plugin\":\"flavor-test\",\"Properties\":{ \"b\" : 1.0, \"a\":[] }}}")), false);
            assertThat(h.engine.inspectGroups()).singleElement().satisfies(s -> {
                assertThat(s.id()).isEqualTo("g");
                assertThat(s.properties().json()).isEqualTo("{\"Instance\":{\"Plugin\":\"instance-test\",\"Properties\":null},"
                        + "\"Flavor\":{\"Plugin\":\"flavor-test\",\"Properties\":{\"b\":1.0,\"a\":[]}},"
                        + "\"Allocation\":{\"Size\":1,\"LogicalIDs\":null}}");
            });
            h.instances.listError = new PluginException("listing is broken");
            assertThatThrownBy(() -> h.engine.describeGroup("g")).hasMessage("listing is broken");
        }
    }

    @Test
    void aPretendCommitChangesNothing() throws Exception {
        try (Harness h = new Harness()) {
            assertThat(h.engine.commitGroup(Harness.cattle("g", 4, "v1"), true)).isEqualTo("Managing 4 instances");
            h.advance(Harness.POLL);
            assertThat(h.engine.inspectGroups()).isEmpty();
            assertThat(h.instances.count("Provision")).isZero();

            h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false);
            h.settle();
            assertThat(h.engine.commitGroup(Harness.cattle("g", 5, "v2"), true)).isEqualTo(
                    "Performing a rolling update on 2 instances, then adding 3 instances to increase the group size to 5");
            h.advance(Harness.POLL);
            assertThat(h.instances.ids()).hasSize(2);
            assertThat(h.engine.describeGroup("g").converged()).isTrue();
            assertThat(h.engine.inspectGroups().get(0).properties().json()).contains("\"Size\":2");
        }
    }

    @Test
    void theDetailsTexts() throws Exception {
        try (Harness h = new Harness()) {
            assertThat(h.engine.commitGroup(Harness.cattle("g", 3, "v1"), false)).isEqualTo("Managing 3 instances");
            assertThat(h.engine.commitGroup(Harness.cattle("g", 3, "v2"), true))
                    .isEqualTo("Adjusting the instance configuration, no restarts necessary"); // no members yet
            h.settle();
            assertThat(h.engine.commitGroup(Harness.cattle("g", 3, "v1"), true)).isEqualTo("Noop");
            assertThat(h.engine.commitGroup(Harness.cattle("g", 3, "v2"), true))
                    .isEqualTo("Performing a rolling update on 3 instances");
            assertThat(h.engine.commitGroup(Harness.cattle("g", 8, "v2"), true))
                    .isEqualTo("Performing a rolling update on 3 instances, then adding 5 instances to increase the group size to 8");
            assertThat(h.engine.commitGroup(Harness.cattle("g", 8, "v1"), true))
                    .isEqualTo("Adding 5 instances to increase the group size to 8");
            assertThat(h.engine.commitGroup(Harness.cattle("g", 1, "v1"), true))
                    .isEqualTo("Terminating 2 instances to reduce the group size to 1");
            assertThat(h.engine.commitGroup(Harness.cattle("g", 1, "v2"), true))
                    .isEqualTo("Terminating 2 instances to reduce the group size to 1, then performing a rolling update on 1 instances");
            assertThat(h.engine.commitGroup(Harness.pets("p", List.of("a"), "v1"), true)).isEqualTo("Managing 1 instances");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Failures and adoption

    @Test
    void aFailedProvisionIsNotRetriedBeforeTheNextListing() throws Exception {
        try (Harness h = new Harness()) {
            h.instances.failProvisions = 1;
            h.engine.commitGroup(Harness.cattle("g", 3, "v1"), false);
            h.settle();
            assertThat(h.instances.count("Provision")).isEqualTo(1);
            assertThat(h.instances.ids()).isEmpty();

            h.advance(Harness.POLL);
            assertThat(h.instances.ids()).hasSize(3);
        }
    }

    @Test
    void aTimedOutProvisionThatCreatedTheInstanceIsNotDuplicated() throws Exception {
        try (Harness h = new Harness()) {
            h.instances.timeOutProvisions = 1;
            h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false);
            h.settle();
            assertThat(h.instances.ids()).containsExactly("inst-0001");

            h.advance(Harness.POLL.multipliedBy(3));
            assertThat(h.instances.ids()).containsExactly("inst-0001", "inst-0002");
            assertThat(h.instances.maxCount()).isEqualTo(2);
        }
    }

    @Test
    void instancesNotYetListedCountAsMembers() throws Exception {
        EngineOptions options = new EngineOptions(Duration.ofSeconds(1), EngineOptions.DEFAULT_UPDATE_POLL, 8,
                Duration.ofSeconds(10));
        try (Harness h = new Harness(options, null)) {
            h.instances.listLagNanos = Duration.ofSeconds(5).toNanos();
            h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false);
            h.settle();
            h.advance(Duration.ofSeconds(20));
            assertThat(h.instances.count("Provision")).isEqualTo(2);
            assertThat(h.instances.ids()).hasSize(2);
            assertThat(h.engine.describeGroup("g").converged()).isTrue();
        }
    }

    @Test
    void aFlavorThatDropsTheGroupTagCausesNoOrphans() throws Exception {
        try (Harness h = new Harness()) {
            h.flavor.dropTags = true;
            h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false);
            h.advance(Harness.POLL.multipliedBy(5));
            assertThat(h.instances.count("Provision")).isZero();
            assertThat(h.flavor.count("Prepare")).isGreaterThan(0);
        }
    }

    @Test
    void aFailingPrepareIsRetriedNextPass() throws Exception {
        try (Harness h = new Harness()) {
            h.flavor.prepareError = "no";
            h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false);
            h.settle();
            assertThat(h.instances.ids()).isEmpty();
            h.flavor.prepareError = null;
            h.advance(Harness.POLL);
            assertThat(h.instances.ids()).hasSize(2);
        }
    }

    @Test
    void aFailingDrainDoesNotPreventTheDestroy() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false);
            h.settle();
            h.flavor.drainError = "cannot drain";
            h.engine.commitGroup(Harness.cattle("g", 1, "v1"), false);
            h.settle();
            assertThat(h.instances.ids()).containsExactly("inst-0002");
        }
    }

    @Test
    void bootstrapInstancesAreAdoptedAsUpToDate() throws Exception {
        try (Harness h = new Harness()) {
            h.instances.add("manager-0", null, Map.of(GroupTags.GROUP, "g", GroupTags.CONFIG_SHA, GroupTags.BOOTSTRAP));
            GroupSpec spec = Harness.cattle("g", 2, "v1");
            h.engine.commitGroup(spec, false);
            h.settle();
            assertThat(h.instances.calls()).contains("Label manager-0");
            assertThat(h.instances.count("Provision")).isEqualTo(1);
            assertThat(h.instances.get("manager-0").tags()).containsEntry(GroupTags.CONFIG_SHA, Harness.hashOf(spec));
            assertThat(h.engine.describeGroup("g").converged()).isTrue();
        }
    }

    @Test
    void aPretendCommitDoesNotRelabelBootstrapInstances() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.cattle("g", 1, "v1"), false);
            h.settle();
            h.instances.add("manager-0", null, Map.of(GroupTags.GROUP, "g", GroupTags.CONFIG_SHA, GroupTags.BOOTSTRAP));
            assertThat(h.engine.commitGroup(Harness.cattle("g", 2, "v1"), true))
                    .isEqualTo("Adding 1 instances to increase the group size to 2");
            assertThat(h.instances.count("Label")).isZero();
        }
    }

    @Test
    void aGroupWhosePluginsDisappearWaitsAndResumesWhenTheyReturn() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false);
            h.settle();
            h.unregister(h.instances);
            assertThatThrownBy(() -> h.engine.describeGroup("g"))
                    .hasMessage("Failed to find Instance plugin 'instance-test':plugin not found:instance-test");
            h.instances.vanish("inst-0001");
            h.advance(Harness.POLL.multipliedBy(2));
            assertThat(h.instances.ids()).hasSize(1);

            h.register(h.instances, "instance-test"); // wakes the group at once
            h.settle();
            assertThat(h.instances.ids()).hasSize(2);
            assertThat(h.engine.describeGroup("g").converged()).isTrue();
        }
    }

    @Test
    void aGroupWhoseFlavorIsMissingIsNotConvergedAndWaitsForIt() throws Exception {
        try (Harness h = new Harness(); LogCapture log = new LogCapture(GroupLoop.class.getPackageName())) {
            h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false);
            h.settle();
            assertThat(h.engine.describeGroup("g").converged()).isTrue();

            h.unregister(h.flavor);
            assertThat(h.engine.describeGroup("g").converged()).isFalse(); // also before a pass noticed
            h.advance(Harness.POLL);
            GroupDescription d = h.engine.describeGroup("g");
            assertThat(d.instances()).hasSize(2);
            assertThat(d.converged()).isFalse();
            assertThat(log.lines()).contains("WARN Group 'g' is not converging: Failed to find Flavor plugin "
                    + "'flavor-test':plugin not found:flavor-test; management resumes when the plugin is back");

            long prepares = h.flavor.count("Prepare");
            h.instances.vanish("inst-0001");
            h.advance(Harness.POLL.multipliedBy(3));
            assertThat(h.flavor.count("Prepare")).isEqualTo(prepares);
            assertThat(h.instances.ids()).containsExactly("inst-0002");
            assertThat(log.lines()).filteredOn(l -> l.contains("is not converging")).hasSize(1); // said once

            h.register(h.flavor, "flavor-test"); // wakes the group at once
            h.settle();
            assertThat(log.lines()).contains("INFO Group 'g': its plugins are available again; management resumes");
            assertThat(h.instances.ids()).hasSize(2);
            assertThat(h.engine.describeGroup("g").converged()).isTrue();
        }
    }

    @Test
    void oneFailingGroupDoesNotStopTheOthers() throws Exception {
        try (Harness h = new Harness()) {
            FakeInstancePlugin broken = new FakeInstancePlugin("broken-", h.clock::nanoTime);
            broken.listError = new PluginException("listing is broken");
            h.register(broken, "instance-broken");
            h.engine.commitGroup(new GroupSpec("bad", org.infrakit.spi.RawJson.of(
                    "{\"Allocation\":{\"Size\":2},\"Instance\":{\"Plugin\":\"instance-broken\"},"
                            + "\"Flavor\":{\"Plugin\":\"flavor-test\"}}")), false);
            h.engine.commitGroup(Harness.cattle("good", 2, "v1"), false);
            h.settle();
            h.advance(Harness.POLL);
            assertThat(h.instances.ids()).hasSize(2);
            assertThat(broken.count("DescribeInstances")).isEqualTo(2); // retried next pass
        }
    }

    @Test
    void instancesOfOtherGroupsAreNeverTouchedEvenIfThePluginIgnoresTheFilter() throws Exception {
        try (Harness h = new Harness()) {
            FakeInstancePlugin sloppy = new FakeInstancePlugin("s-", h.clock::nanoTime) {
                @Override
                public synchronized List<org.infrakit.spi.InstanceDescription> describeInstances(
                        Map<String, String> tags, boolean properties) throws PluginException {
                    return super.describeInstances(null, properties);
                }
            };
            h.register(sloppy, "instance-sloppy");
            String props = "{\"Allocation\":{\"Size\":1},\"Instance\":{\"Plugin\":\"instance-sloppy\"},"
                    + "\"Flavor\":{\"Plugin\":\"flavor-test\"}}";
            h.engine.commitGroup(new GroupSpec("a", org.infrakit.spi.RawJson.of(props)), false);
            h.engine.commitGroup(new GroupSpec("b", org.infrakit.spi.RawJson.of(props)), false);
            h.settle();
            h.advance(Harness.POLL.multipliedBy(2));
            assertThat(sloppy.ids()).hasSize(2);
            assertThat(sloppy.count("Destroy")).isZero();
            assertThat(h.engine.describeGroup("a").converged()).isTrue();
        }
    }

    @Test
    void absentPluginPropertiesAreSentAsNull() throws Exception {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(new GroupSpec("g", org.infrakit.spi.RawJson.of(
                    "{\"Allocation\":{\"Size\":1},\"Instance\":{\"Plugin\":\"instance-test\"},"
                            + "\"Flavor\":{\"Plugin\":\"flavor-test\"}}")), false);
            h.settle();
            assertThat(h.instances.provisioned()).singleElement()
                    .satisfies(s -> assertThat(s.properties()).isNull());
        }
    }
}
