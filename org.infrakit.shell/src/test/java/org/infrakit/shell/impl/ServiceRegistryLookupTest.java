package org.infrakit.shell.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.infrakit.shell.verbs.Fakes;
import org.infrakit.shell.verbs.PluginEntry;
import org.infrakit.shell.verbs.PluginLease;
import org.infrakit.shell.verbs.PluginNotFoundException;
import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.GroupPlugin;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.PluginProperties;
import org.infrakit.spi.PluginRef;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceException;

/** The lookup's filters and choices, against a fake registry; the real one is covered by Pax Exam. */
class ServiceRegistryLookupTest {
    private final FakeRegistry registry = new FakeRegistry();
    private final ServiceRegistryLookup lookup = new ServiceRegistryLookup(registry.context());

    private final Fakes.Instance file = new Fakes.Instance();
    private final Fakes.Instance typed = new Fakes.Instance();
    private final Fakes.Instance better = new Fakes.Instance();

    @Test
    void findsTheDefaultObjectByNameAndUngetsOnClose() throws Exception {
        registry.register(file, "org.infrakit.instance.file", Map.of(PluginProperties.NAME, "instance-file"),
                InstancePlugin.class);
        registry.register(typed, "b", Map.of(PluginProperties.NAME, "instance-file", PluginProperties.TYPE, "ec2"),
                InstancePlugin.class);

        try (PluginLease<InstancePlugin> lease = lookup.open(InstancePlugin.class, PluginRef.parse("instance-file"))) {
            assertThat(lease.plugin()).isSameAs(file);
        }
        assertThat(registry.gets).isEqualTo(1);
        assertThat(registry.ungets).isEqualTo(1);
    }

    @Test
    void anEmptyTypeIsTheDefaultObject() throws Exception {
        registry.register(file, "a", Map.of(PluginProperties.NAME, "instance-file", PluginProperties.TYPE, ""),
                InstancePlugin.class);

        try (PluginLease<InstancePlugin> lease = lookup.open(InstancePlugin.class, PluginRef.parse("instance-file"))) {
            assertThat(lease.plugin()).isSameAs(file);
        }
    }

    @Test
    void findsATypedObject() throws Exception {
        registry.register(file, "a", Map.of(PluginProperties.NAME, "instance-aws"), InstancePlugin.class);
        registry.register(typed, "a", Map.of(PluginProperties.NAME, "instance-aws", PluginProperties.TYPE, "ec2"),
                InstancePlugin.class);

        try (PluginLease<InstancePlugin> lease = lookup.open(InstancePlugin.class, PluginRef.parse("instance-aws/ec2"))) {
            assertThat(lease.plugin()).isSameAs(typed);
        }
    }

    @Test
    void theHighestRankingWinsAndTheOtherTakesOverWhenItGoes() throws Exception {
        registry.register(file, "a", Map.of(PluginProperties.NAME, "x"), InstancePlugin.class);
        registry.register(better, "b", Map.of(PluginProperties.NAME, "x", Constants.SERVICE_RANKING, 10),
                InstancePlugin.class);

        try (PluginLease<InstancePlugin> lease = lookup.open(InstancePlugin.class, PluginRef.parse("x"))) {
            assertThat(lease.plugin()).isSameAs(better);
        }
        registry.unregister(better);
        try (PluginLease<InstancePlugin> lease = lookup.open(InstancePlugin.class, PluginRef.parse("x"))) {
            assertThat(lease.plugin()).isSameAs(file);
        }
    }

    @Test
    void ofEqualRankingTheOldestServiceWins() throws Exception {
        registry.register(file, "a", Map.of(PluginProperties.NAME, "x"), InstancePlugin.class);
        registry.register(better, "b", Map.of(PluginProperties.NAME, "x"), InstancePlugin.class);

        try (PluginLease<InstancePlugin> lease = lookup.open(InstancePlugin.class, PluginRef.parse("x"))) {
            assertThat(lease.plugin()).isSameAs(file);
        }
    }

    @Test
    void theOtherKindsDoNotCount() {
        registry.register(new Fakes.Flavor(), "a", Map.of(PluginProperties.NAME, "flavor-vanilla"), FlavorPlugin.class);
        registry.register(file, "a", Map.of(PluginProperties.NAME, "instance-file"), InstancePlugin.class);
        registry.register(typed, "a", Map.of(PluginProperties.NAME, "instance-aws", PluginProperties.TYPE, "ec2"),
                InstancePlugin.class);

        assertThatThrownBy(() -> lookup.open(InstancePlugin.class, PluginRef.parse("flavor-vanilla")))
                .isInstanceOf(PluginNotFoundException.class)
                .hasMessage("no Instance plugin named 'flavor-vanilla' (known: instance-aws/ec2, instance-file)");
        assertThatThrownBy(() -> lookup.open(GroupPlugin.class, PluginRef.parse("group")))
                .hasMessage("no Group plugin named 'group' (known: none)");
        assertThat(registry.gets).isZero();
    }

    @Test
    void aServiceThatCannotBeObtainedIsUnavailableNotMissing() {
        registry.register(null, "a", Map.of(PluginProperties.NAME, "broken"), InstancePlugin.class);

        assertThatThrownBy(() -> lookup.open(InstancePlugin.class, PluginRef.parse("broken")))
                .isInstanceOf(ServiceException.class)
                .hasMessage("the service could not be obtained (see the log)");
    }

    @Test
    void filterCharactersInANameAreEscaped() throws Exception {
        registry.register(file, "a", Map.of(PluginProperties.NAME, "odd(*)\\name"), InstancePlugin.class);
        registry.register(typed, "a", Map.of(PluginProperties.NAME, "oddXname"), InstancePlugin.class);

        try (PluginLease<InstancePlugin> lease = lookup.open(InstancePlugin.class, PluginRef.parse("odd(*)\\name"))) {
            assertThat(lease.plugin()).isSameAs(file);
        }
        assertThatThrownBy(() -> lookup.open(InstancePlugin.class, PluginRef.parse("odd*")))
                .isInstanceOf(PluginNotFoundException.class);
    }

    @Test
    void entriesShowOriginSocketAndEveryPluginInterface() {
        registry.register(file, "org.infrakit.instance.file", Map.of(PluginProperties.NAME, "instance-file"),
                InstancePlugin.class);
        registry.register(typed, "org.infrakit.rpc", Map.of(PluginProperties.NAME, "remote",
                PluginProperties.IMPORTED, true, PluginProperties.SOCKET, "/p/remote"),
                InstancePlugin.class, FlavorPlugin.class);
        registry.register(new Object(), "x", Map.of("other", "y"), Object.class);

        assertThat(lookup.entries()).containsExactlyInAnyOrder(
                new PluginEntry("instance-file", "", "Instance/0.6.0", null, "org.infrakit.instance.file", false, null),
                new PluginEntry("remote", "", "Instance/0.6.0", "/p/remote", "imported", true, null),
                new PluginEntry("remote", "", "Flavor/0.1.0", "/p/remote", "imported", true, null));
    }
}
