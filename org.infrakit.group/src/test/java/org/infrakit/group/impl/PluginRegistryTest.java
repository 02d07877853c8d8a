package org.infrakit.group.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.PluginProperties;
import org.infrakit.spi.PluginRef;
import org.junit.jupiter.api.Test;

class PluginRegistryTest {

    @Test
    void findsPluginsByNameAndType() {
        PluginRegistry r = new PluginRegistry();
        FakeInstancePlugin plain = new FakeInstancePlugin("a", () -> 0);
        FakeInstancePlugin typed = new FakeInstancePlugin("b", () -> 0);
        FakeFlavorPlugin flavor = new FakeFlavorPlugin();
        r.add(InstancePlugin.class, plain, Map.of(PluginProperties.NAME, "instance-x", "service.id", 1L));
        r.add(InstancePlugin.class, typed, Map.of(PluginProperties.NAME, "instance-x", PluginProperties.TYPE, "vol",
                "service.id", 2L));
        r.add(FlavorPlugin.class, flavor, Map.of(PluginProperties.NAME, "flavor-x", PluginProperties.TYPE, ""));

        assertThat(r.instancePlugin(PluginRef.parse("instance-x"))).isSameAs(plain);
        assertThat(r.instancePlugin(PluginRef.parse("instance-x/vol"))).isSameAs(typed);
        assertThat(r.instancePlugin(PluginRef.parse("instance-x/other"))).isNull();
        assertThat(r.instancePlugin(PluginRef.parse("flavor-x"))).isNull();
        assertThat(r.flavorPlugin(PluginRef.parse("flavor-x"))).isSameAs(flavor);

        r.remove(InstancePlugin.class, plain);
        assertThat(r.instancePlugin(PluginRef.parse("instance-x"))).isNull();
        assertThat(r.instancePlugin(PluginRef.parse("instance-x/vol"))).isSameAs(typed);
    }

    @Test
    void theHighestRankingThenTheOldestServiceWins() {
        PluginRegistry r = new PluginRegistry();
        FakeFlavorPlugin old = new FakeFlavorPlugin();
        FakeFlavorPlugin young = new FakeFlavorPlugin();
        FakeFlavorPlugin ranked = new FakeFlavorPlugin();
        r.add(FlavorPlugin.class, young, Map.of(PluginProperties.NAME, "f", "service.id", 9L));
        r.add(FlavorPlugin.class, old, Map.of(PluginProperties.NAME, "f", "service.id", 3L));
        assertThat(r.flavorPlugin(PluginRef.parse("f"))).isSameAs(old);
        r.add(FlavorPlugin.class, ranked, Map.of(PluginProperties.NAME, "f", "service.id", 20L, "service.ranking", 5));
        assertThat(r.flavorPlugin(PluginRef.parse("f"))).isSameAs(ranked);
        r.remove(FlavorPlugin.class, ranked);
        assertThat(r.flavorPlugin(PluginRef.parse("f"))).isSameAs(old);
    }

    @Test
    void servicesWithoutANameAreIgnoredAndChangesAreAnnounced() {
        PluginRegistry r = new PluginRegistry();
        AtomicInteger added = new AtomicInteger();
        r.addListener(added::incrementAndGet);
        FakeFlavorPlugin f = new FakeFlavorPlugin();
        r.add(FlavorPlugin.class, f, Map.of());
        assertThat(added).hasValue(0);
        r.add(FlavorPlugin.class, f, Map.of(PluginProperties.NAME, new String[] {"a", "b"}));
        assertThat(added).hasValue(1);
        assertThat(r.flavorPlugin(PluginRef.parse("b"))).isSameAs(f);
        r.update(FlavorPlugin.class, f, Map.of(PluginProperties.NAME, List.of("c")));
        assertThat(r.flavorPlugin(PluginRef.parse("a"))).isNull();
        assertThat(r.flavorPlugin(PluginRef.parse("c"))).isSameAs(f);
    }
}
