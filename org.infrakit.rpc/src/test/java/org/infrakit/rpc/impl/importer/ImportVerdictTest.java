package org.infrakit.rpc.impl.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.infrakit.rpc.client.PluginHandshake;
import org.infrakit.rpc.impl.PluginKind;
import org.infrakit.spi.InterfaceSpec;
import org.junit.jupiter.api.Test;

class ImportVerdictTest {
    @Test
    void versionsWeDoNotSpeakAreNotImportable() {
        PluginHandshake.Offer offer = new PluginHandshake.Offer(List.of(new InterfaceSpec("Metadata", "0.1.0"),
                InterfaceSpec.GROUP, new InterfaceSpec("Instance", "0.5.0")), Map.of(), null, "Handshake.Implements");
        ImportVerdict v = ImportVerdict.judge(offer);
        assertThat(v.importable()).containsOnlyKeys(PluginKind.GROUP);
        assertThat(v.notSpoken()).containsExactly(new InterfaceSpec("Metadata", "0.1.0"), new InterfaceSpec("Instance", "0.5.0"));
        assertThat(v.explain(offer)).isEqualTo("speaks Metadata/0.1.0, Group/0.1.0, Instance/0.5.0; "
                + "this runtime speaks Group/0.1.0, Instance/0.6.0, Flavor/0.1.0");
    }

    @Test
    void typedKindsKeepTheirSubTypesAndGroupsServeTheDefaultObjectOnly() {
        PluginHandshake.Offer offer = new PluginHandshake.Offer(List.of(InterfaceSpec.INSTANCE, InterfaceSpec.GROUP),
                Map.of(InterfaceSpec.INSTANCE, List.of("", "x"), InterfaceSpec.GROUP, List.of("", "workers")), null,
                "Handshake.Implements");
        ImportVerdict v = ImportVerdict.judge(offer);
        assertThat(v.importable()).containsEntry(PluginKind.INSTANCE, List.of("", "x"))
                .containsEntry(PluginKind.GROUP, List.of(""));
        assertThat(v.notSpoken()).isEmpty();
    }
}
