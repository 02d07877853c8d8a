package org.infrakit.group.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.osgi.framework.ServiceException;

/** CommitGroup's checks, their texts and their order (group-plugin.md §2). */
class CommitValidationTest {

    private static GroupSpec spec(String id, String properties) {
        return new GroupSpec(id, properties == null ? null : RawJson.of(properties));
    }

    private static String props(String instance, String flavor, String allocation) {
        return "{\"Allocation\":" + allocation + ",\"Instance\":{\"Plugin\":\"" + instance + "\",\"Properties\":{}},"
                + "\"Flavor\":{\"Plugin\":\"" + flavor + "\",\"Properties\":{}}}";
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|{}|Group ID must not be blank",
        "'  '|{}|Group ID must not be blank",
        "g|{\"Allocation\":{},\"Instance\":{\"Plugin\":100}}|Invalid properties: bad-format-for-name:100",
        "g|{\"Instance\":{\"Plugin\":\"instance-test\"},\"Flavor\":{\"Plugin\":\"flavor-test\"}}|Allocation must not be blank",
        "g|{\"Allocation\":{\"Size\":0,\"LogicalIDs\":[]}}|Allocation must not be blank",
        "g|{\"Allocation\":{\"Size\":2,\"LogicalIDs\":[\"a\"]}}|Only one Allocation method may be used",
        "g|{\"Allocation\":{\"Size\":1},\"Instance\":{\"Plugin\":\"nope\"},\"Flavor\":{\"Plugin\":\"flavor-nope\"}}|Failed to find Flavor plugin 'flavor-nope':plugin not found:flavor-nope",
        "g|{\"Allocation\":{\"Size\":1},\"Instance\":{\"Plugin\":\"instance-nope/typed\"},\"Flavor\":{\"Plugin\":\"flavor-test\"}}|Failed to find Instance plugin 'instance-nope/typed':plugin not found:instance-nope/typed",
        "g|{\"Allocation\":{\"Size\":1},\"Instance\":{\"Plugin\":\"instance-test/typed\"},\"Flavor\":{\"Plugin\":\"flavor-test\"}}|Failed to find Instance plugin 'instance-test/typed':plugin not found:instance-test/typed",
        "g|{\"Allocation\":{\"Size\":1},\"Instance\":{\"Plugin\":\"instance-test\"},\"Flavor\":{\"Plugin\":\"../etc\"}}|Failed to find Flavor plugin '../etc':plugin name '..' must not be '.' or contain '..'",
        "g|{\"Allocation\":{\"Size\":1},\"Instance\":{\"Plugin\":\"instance-test\"},\"Flavor\":{\"Plugin\":\"\"}}|Failed to find Flavor plugin '':plugin name must not be empty",
        "g|{\"Allocation\":{\"Size\":1},\"Instance\":{\"Plugin\":\"instance-test\",\"Properties\":{\"n\":1e999}},\"Flavor\":{\"Plugin\":\"flavor-test\"}}|Invalid properties: number 1e999 is out of the range of a 64-bit float"
    })
    void refusesBadSpecsWithTheReferencesTexts(String id, String properties, String message) {
        try (Harness h = new Harness()) {
            assertThatThrownBy(() -> h.engine.commitGroup(spec(id, properties), false))
                    .isInstanceOf(PluginException.class).hasMessage(message);
            assertThatThrownBy(() -> h.engine.commitGroup(spec(id, properties), true)).hasMessage(message);
            assertThat(h.engine.inspectGroups()).isEmpty();
        } catch (PluginException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void nullPropertiesFailTheAllocationCheck() throws PluginException {
        try (Harness h = new Harness()) {
            assertThatThrownBy(() -> h.engine.commitGroup(spec("g", null), false))
                    .hasMessage("Allocation must not be blank");
            assertThatThrownBy(() -> h.engine.commitGroup(null, false)).hasMessage("Group ID must not be blank");
        }
    }

    @Test
    void theFlavorIsCheckedBeforeTheInstancePluginIsLookedUp() {
        try (Harness h = new Harness()) {
            h.flavor.validateError = "flavor says no";
            assertThatThrownBy(() -> h.engine.commitGroup(spec("g", props("instance-nope", "flavor-test", "{\"Size\":1}")), false))
                    .hasMessage("flavor says no");
            h.flavor.validateError = null;
            h.instances.validateError = "instance says no";
            assertThatThrownBy(() -> h.engine.commitGroup(spec("g", props("instance-test", "flavor-test", "{\"Size\":1}")), false))
                    .hasMessage("instance says no");
            assertThat(h.flavor.calls()).containsExactly("Validate", "Validate");
        }
    }

    @Test
    void aTransportFailureOfValidateIsReportedWithItsMessage() {
        try (Harness h = new Harness()) {
            org.infrakit.spi.FlavorPlugin remote = new FakeFlavorPlugin() {
                @Override
                public synchronized void validate(RawJson properties, org.infrakit.spi.Allocation allocation) {
                    throw new ServiceException("Post http://h: dial unix /x: connect: connection refused",
                            ServiceException.REMOTE);
                }
            };
            h.register(remote, "flavor-remote");
            assertThatThrownBy(() -> h.engine.commitGroup(spec("g", props("instance-test", "flavor-remote", "{\"Size\":1}")), false))
                    .isInstanceOf(PluginException.class)
                    .hasMessage("Post http://h: dial unix /x: connect: connection refused");
        }
    }

    @Test
    void aFailedCommitToAManagedGroupLeavesItAsItWas() throws PluginException {
        try (Harness h = new Harness()) {
            h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false);
            h.settle();
            assertThatThrownBy(() -> h.engine.commitGroup(spec("g", props("instance-test", "flavor-nope", "{\"Size\":5}")), false))
                    .hasMessage("Failed to find Flavor plugin 'flavor-nope':plugin not found:flavor-nope");
            h.instances.listError = new PluginException("cannot list");
            assertThatThrownBy(() -> h.engine.commitGroup(Harness.cattle("g", 5, "v2"), false)).hasMessage("cannot list");
            h.instances.listError = null;
            h.advance(Harness.POLL);
            assertThat(h.instances.ids()).hasSize(2);
            assertThat(h.engine.inspectGroups().get(0).properties().json()).contains("\"Size\":2", "v1");
        }
    }

    @Test
    void aGroupLargerThanTheMaximumGroupSizeIsRefusedNamingTheLimitAndTheKey() throws PluginException {
        String refused = "Allocation asks for 2147483648 instances, more than the maximum group size 10000 "
                + "(max.group.size in org.infrakit.group.cfg)";
        try (Harness h = new Harness()) {
            assertThatThrownBy(() -> h.engine.commitGroup(Harness.cattle("g", 1L << 31, "v1"), false))
                    .isInstanceOf(PluginException.class).hasMessage(refused);
            assertThatThrownBy(() -> h.engine.commitGroup(Harness.cattle("g", 1L << 31, "v1"), true)).hasMessage(refused);
            assertThat(h.engine.inspectGroups()).isEmpty();
            assertThat(h.engine.commitGroup(Harness.cattle("g", 10_000, "v1"), true)).isEqualTo("Managing 10000 instances");
        }
        EngineOptions two = new EngineOptions(Harness.POLL, EngineOptions.DEFAULT_UPDATE_POLL, 8, null, 2);
        try (Harness h = new Harness(two, null)) {
            assertThatThrownBy(() -> h.engine.commitGroup(Harness.pets("g", java.util.List.of("a", "b", "c"), "v1"), false))
                    .hasMessage("Allocation asks for 3 instances, more than the maximum group size 2 "
                            + "(max.group.size in org.infrakit.group.cfg)");
            assertThatThrownBy(() -> h.engine.commitGroup(Harness.cattle("g", 3, "v1"), false))
                    .hasMessageStartingWith("Allocation asks for 3 instances");
            assertThat(h.engine.commitGroup(Harness.cattle("g", 2, "v1"), false)).isEqualTo("Managing 2 instances");
            h.settle();
            assertThat(h.instances.ids()).hasSize(2);
            // growing past the limit is refused like a new group, and changes nothing
            assertThatThrownBy(() -> h.engine.commitGroup(Harness.cattle("g", 3, "v1"), false))
                    .hasMessageStartingWith("Allocation asks for 3 instances");
            h.advance(Harness.POLL);
            assertThat(h.instances.ids()).hasSize(2);
        }
    }

    @Test
    void duplicateLogicalIDsAreRefused() throws PluginException {
        try (Harness h = new Harness()) {
            assertThatThrownBy(() -> h.engine.commitGroup(Harness.pets("g", java.util.List.of("a", "a", "b"), "v1"), false))
                    .isInstanceOf(PluginException.class)
                    .hasMessage("Duplicate logical ID 'a' in Allocation.LogicalIDs: each names one instance");
            assertThatThrownBy(() -> h.engine.commitGroup(Harness.pets("g", java.util.List.of("b", "a", "b"), "v1"), true))
                    .hasMessage("Duplicate logical ID 'b' in Allocation.LogicalIDs: each names one instance");
            assertThat(h.engine.inspectGroups()).isEmpty();
            h.settle();
            assertThat(h.instances.count("Provision")).isZero();
        }
    }
}
