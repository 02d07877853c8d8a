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
}
