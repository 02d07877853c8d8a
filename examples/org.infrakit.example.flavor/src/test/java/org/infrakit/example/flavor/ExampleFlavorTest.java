package org.infrakit.example.flavor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.infrakit.spi.Allocation;
import org.infrakit.spi.Health;
import org.infrakit.spi.Index;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;
import org.junit.jupiter.api.Test;

class ExampleFlavorTest {
    private final ExampleFlavor flavor = new ExampleFlavor();
    private final Allocation allocation = Allocation.ofSize(2);
    private final Index index = new Index("workers", 0);

    @Test
    void prepareAddsTheTagAndAnInitLineAndKeepsTheRest() throws PluginException {
        InstanceSpec spec = InstanceSpec.of(RawJson.of("{\"Note\":\"x\"}"), Map.of("infrakit.group", "workers"),
                "apt-get update", null, null);

        InstanceSpec prepared = flavor.prepare(RawJson.of("{\"Greeting\":\"hi there\"}"), spec, allocation, index);

        assertThat(prepared.tags()).containsExactly(Map.entry("example.flavor", "flavor-example"),
                Map.entry("infrakit.group", "workers"));
        assertThat(prepared.init()).isEqualTo("apt-get update\necho 'hi there'");
        assertThat(prepared.properties().json()).isEqualTo("{\"Note\":\"x\"}");
        assertThat(prepared.logicalID()).isNull();
    }

    @Test
    void withoutPropertiesTheDefaultGreetingIsTheOnlyInitLine() throws PluginException {
        InstanceSpec prepared = flavor.prepare(null, InstanceSpec.of(null, null, "", "db-1", null), allocation, index);

        assertThat(prepared.init()).isEqualTo("echo 'hello from flavor-example'");
        assertThat(prepared.tags()).containsExactly(Map.entry("example.flavor", "flavor-example"));
        assertThat(prepared.logicalID()).isEqualTo("db-1");
    }

    @Test
    void propertyNamesMatchCaseInsensitivelyAsOnTheWire() throws PluginException {
        InstanceSpec prepared = flavor.prepare(RawJson.of("{\"greeting\":\"lower\"}"),
                InstanceSpec.of(null, null, "", null, null), allocation, index);

        assertThat(prepared.init()).isEqualTo("echo 'lower'");
    }

    @Test
    void theGreetingIsQuotedForTheShell() throws PluginException {
        InstanceSpec prepared = flavor.prepare(RawJson.of("{\"Greeting\":\"it's $HOME; rm -rf /\"}"),
                InstanceSpec.of(null, null, "", null, null), allocation, index);

        assertThat(prepared.init()).isEqualTo("echo 'it'\\''s $HOME; rm -rf /'");
    }

    @Test
    void validateRefusesAMultiLineGreetingAndAWrongType() {
        assertThatThrownBy(() -> flavor.validate(RawJson.of("{\"Greeting\":\"a\\nb\"}"), allocation))
                .isInstanceOf(PluginException.class).hasMessage("Greeting must be one line");
        assertThatThrownBy(() -> flavor.validate(RawJson.of("{\"Greeting\":42}"), allocation))
                .isInstanceOf(PluginException.class).hasMessageContaining("Greeting");
    }

    @Test
    void validateAcceptsNoPropertiesAndAGreeting() throws PluginException {
        flavor.validate(null, allocation);
        flavor.validate(RawJson.of("{\"Greeting\":\"hi\",\"Other\":1}"), allocation);
    }

    @Test
    void everyInstanceIsHealthy() {
        assertThat(flavor.healthy(null, null)).isEqualTo(Health.HEALTHY);
    }
}
