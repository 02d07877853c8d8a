package org.infrakit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.infrakit.rpc.client.PluginHandshake;
import org.infrakit.shell.verbs.PluginKind;
import org.infrakit.spi.InterfaceSpec;
import org.infrakit.spi.PluginRef;
import org.junit.jupiter.api.Test;

/** Which kinds of a socket's offer serve a reference: the handshake decides what a plugin is. */
class KindChoiceTest {
    private static PluginHandshake.Offer offer(List<InterfaceSpec> apis, Map<InterfaceSpec, List<String>> types) {
        return new PluginHandshake.Offer(apis, types, null, "Handshake.Implements");
    }

    @Test
    void exactNameAndVersionOnly() {
        PluginHandshake.Offer o = offer(List.of(new InterfaceSpec("Metadata", "0.1.0"), InterfaceSpec.GROUP,
                new InterfaceSpec("Instance", "0.5.0")), Map.of());
        assertThat(InfrakitCli.served(o, PluginRef.parse("group"))).containsExactly(PluginKind.GROUP);
    }

    @Test
    void typesDecideWhichObjectsExist() {
        PluginHandshake.Offer o = offer(List.of(InterfaceSpec.INSTANCE, InterfaceSpec.FLAVOR),
                Map.of(InterfaceSpec.INSTANCE, List.of("", "ec2"), InterfaceSpec.FLAVOR, List.of("")));
        assertThat(InfrakitCli.served(o, PluginRef.parse("x"))).containsExactly(PluginKind.INSTANCE, PluginKind.FLAVOR);
        assertThat(InfrakitCli.served(o, PluginRef.parse("x/ec2"))).containsExactly(PluginKind.INSTANCE);
        assertThat(InfrakitCli.served(o, PluginRef.parse("x/gce"))).isEmpty();
    }

    @Test
    void withoutTypesEveryObjectMayExistAndGroupsIgnoreTheType() {
        PluginHandshake.Offer o = offer(List.of(InterfaceSpec.INSTANCE, InterfaceSpec.GROUP), Map.of());
        assertThat(InfrakitCli.served(o, PluginRef.parse("x/any"))).containsExactly(PluginKind.GROUP,
                PluginKind.INSTANCE);
    }
}
