package org.infrakit.flavor.vanilla.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginProperties;
import org.junit.jupiter.api.Test;

/**
 * The configured component, constructed by hand as SCR would construct it, against a recorder of
 * registrations that answers "which service serves this name" by the OSGi rule (highest
 * {@code service.ranking}, then the oldest), as the exporter, the group and the shell do. The
 * built-in flavor is registered the way its DS descriptor says.
 */
class VanillaFlavorComponentsTest {
    private record Registration(String name, int ranking, long id, FlavorPlugin flavor) {
    }

    private final List<Registration> live = new ArrayList<>();
    private long nextId = 1;

    private Runnable register(String name, int ranking, FlavorPlugin flavor) {
        Registration r = new Registration(name, ranking, nextId++, flavor);
        live.add(r);
        return () -> live.remove(r);
    }

    private final ConfiguredVanillaFlavor.Publisher publisher = (FlavorPlugin flavor, Dictionary<String, Object> p) -> {
        assertThat(p.get("service.ranking")).isEqualTo(ConfiguredVanillaFlavor.CONFIGURED_RANKING);
        return register((String) p.get(PluginProperties.NAME), (Integer) p.get("service.ranking"), flavor);
    };

    private FlavorPlugin builtIn() {
        VanillaFlavor flavor = new VanillaFlavor();
        register(VanillaFlavor.NAME, VanillaFlavor.BUILT_IN_RANKING, flavor);
        return flavor;
    }

    private FlavorPlugin serving(String name) {
        return live.stream().filter(r -> r.name().equals(name))
                .min(Comparator.comparingInt(Registration::ranking).reversed().thenComparingLong(Registration::id))
                .map(Registration::flavor).orElse(null);
    }

    private Set<String> names() {
        TreeSet<String> names = new TreeSet<>();
        live.forEach(r -> names.add(r.name()));
        return names;
    }

    private static VanillaFlavorConfig config(String name) {
        return new VanillaFlavorConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return VanillaFlavorConfig.class;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    private static Map<String, Object> pid(String pid) {
        return Map.of("service.pid", pid, "service.factoryPid", VanillaFlavorConfig.PID);
    }

    @Test
    void aConfiguredFlavorRanksAboveTheBuiltIn() {
        assertThat(ConfiguredVanillaFlavor.CONFIGURED_RANKING).isGreaterThan(VanillaFlavor.BUILT_IN_RANKING);
    }

    @Test
    void factoryConfigurationsAddNamedFlavorsAndDeletingOneRemovesOnlyIt() throws PluginException {
        builtIn();
        ConfiguredVanillaFlavor french = new ConfiguredVanillaFlavor(config("french-vanilla"),
                pid(VanillaFlavorConfig.PID + "~french"), publisher);
        new ConfiguredVanillaFlavor(config("vanilla-2"), pid(VanillaFlavorConfig.PID + "~two"), publisher);
        assertThat(names()).containsExactly("flavor-vanilla", "french-vanilla", "vanilla-2");
        assertThat(serving("french-vanilla")).isInstanceOf(VanillaFlavor.class);

        french.deactivate();
        assertThat(names()).containsExactly("flavor-vanilla", "vanilla-2");
    }

    @Test
    void aConfigurationNamedLikeTheBuiltInServesTheNameUntilDeleted() throws PluginException {
        FlavorPlugin builtIn = builtIn();
        ConfiguredVanillaFlavor same = new ConfiguredVanillaFlavor(config("flavor-vanilla"),
                pid(VanillaFlavorConfig.PID + "~same"), publisher);
        assertThat(serving("flavor-vanilla")).isNotNull().isNotSameAs(builtIn);

        same.deactivate();
        assertThat(serving("flavor-vanilla")).isSameAs(builtIn);
    }

    @Test
    void ofTwoConfigurationsWithOneNameTheOlderServesAndTheOtherTakesOver() throws PluginException {
        ConfiguredVanillaFlavor first = new ConfiguredVanillaFlavor(config("dup"), pid("p~one"), publisher);
        FlavorPlugin firstFlavor = serving("dup");
        new ConfiguredVanillaFlavor(config("dup"), pid("p~two"), publisher);
        assertThat(serving("dup")).isSameAs(firstFlavor);
        first.deactivate();
        assertThat(serving("dup")).isNotNull().isNotSameAs(firstFlavor);
    }

    /** A misspelt {@code nme} leaves the configuration without a name: it must not replace the built-in flavor. */
    @Test
    void aConfigurationWithoutNameIsRefusedAndTheBuiltInKeepsServing() throws PluginException {
        FlavorPlugin builtIn = builtIn();
        for (String missing : new String[] {null, "", "  "}) {
            ConfiguredVanillaFlavor nameless = new ConfiguredVanillaFlavor(config(missing),
                    pid(VanillaFlavorConfig.PID + "~typo"), publisher);
            assertThat(live).hasSize(1);
            assertThat(serving("flavor-vanilla")).isSameAs(builtIn);
            nameless.deactivate();
            assertThat(serving("flavor-vanilla")).isSameAs(builtIn);
        }
    }

    @Test
    void anInvalidNameFailsActivationAndPublishesNothing() {
        for (String bad : new String[] {"a/b", "..", "x\u0000y"}) {
            assertThatThrownBy(() -> new ConfiguredVanillaFlavor(config(bad), pid("p~bad"), publisher))
                    .isInstanceOf(PluginException.class)
                    .hasMessageStartingWith("configuration p~bad: plugin name");
        }
        assertThat(live).isEmpty();
    }
}
