package org.infrakit.flavor.vanilla.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.util.LinkedHashMap;
import java.util.Map;

import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.PluginException;
import org.junit.jupiter.api.Test;

/** The DS components, constructed by hand as SCR would construct them. */
class VanillaFlavorComponentsTest {
    private final Map<String, FlavorPlugin> live = new LinkedHashMap<>();
    private final VanillaFlavorServices services = new VanillaFlavorServices((name, flavor) -> {
        assertThat(live).as("two services named " + name).doesNotContainKey(name);
        live.put(name, flavor);
        return () -> live.remove(name);
    });

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
    void theDefaultIsFlavorVanilla() {
        DefaultVanillaFlavor def = new DefaultVanillaFlavor(services);
        assertThat(live).containsOnlyKeys("flavor-vanilla");
        assertThat(live.get("flavor-vanilla")).isInstanceOf(VanillaFlavor.class);
        def.deactivate();
        assertThat(live).isEmpty();
    }

    @Test
    void factoryConfigurationsAddNamedFlavorsAndDeletingOneRemovesOnlyIt() throws PluginException {
        new DefaultVanillaFlavor(services);
        ConfiguredVanillaFlavor french = new ConfiguredVanillaFlavor(services, config("french-vanilla"),
                pid(VanillaFlavorConfig.PID + "~french"));
        new ConfiguredVanillaFlavor(services, config("vanilla-2"), pid(VanillaFlavorConfig.PID + "~two"));
        assertThat(live).containsOnlyKeys("flavor-vanilla", "french-vanilla", "vanilla-2");

        french.deactivate();
        assertThat(live).containsOnlyKeys("flavor-vanilla", "vanilla-2");
    }

    @Test
    void aConfigurationNamedLikeTheDefaultReplacesItUntilDeleted() throws PluginException {
        new DefaultVanillaFlavor(services);
        FlavorPlugin builtIn = live.get("flavor-vanilla");
        ConfiguredVanillaFlavor same = new ConfiguredVanillaFlavor(services, config("flavor-vanilla"),
                pid(VanillaFlavorConfig.PID + "~same"));
        assertThat(live).containsOnlyKeys("flavor-vanilla");
        assertThat(live.get("flavor-vanilla")).isNotSameAs(builtIn);

        same.deactivate();
        assertThat(live.get("flavor-vanilla")).isSameAs(builtIn);
    }

    /** A misspelt {@code nme} leaves the configuration without a name: it must not replace the built-in flavor. */
    @Test
    void aConfigurationWithoutNameIsRefusedAndTheDefaultKeepsServing() throws PluginException {
        new DefaultVanillaFlavor(services);
        FlavorPlugin builtIn = live.get("flavor-vanilla");
        for (String missing : new String[] {null, "", "  "}) {
            ConfiguredVanillaFlavor nameless = new ConfiguredVanillaFlavor(services, config(missing),
                    pid(VanillaFlavorConfig.PID + "~typo"));
            assertThat(live).containsOnlyKeys("flavor-vanilla");
            assertThat(live.get("flavor-vanilla")).isSameAs(builtIn);
            nameless.deactivate();
            assertThat(live.get("flavor-vanilla")).isSameAs(builtIn);
        }
    }

    @Test
    void anInvalidNameFailsActivationAndPublishesNothing() {
        for (String bad : new String[] {"a/b", "..", "x\u0000y"}) {
            assertThatThrownBy(() -> new ConfiguredVanillaFlavor(services, config(bad), pid("p~bad")))
                    .isInstanceOf(PluginException.class)
                    .hasMessageStartingWith("configuration p~bad: plugin name");
        }
        assertThat(live).isEmpty();
    }

    @Test
    void deactivatingTheServicesWithdrawsEverything() throws PluginException {
        new DefaultVanillaFlavor(services);
        new ConfiguredVanillaFlavor(services, config("french-vanilla"), pid("p~french"));
        services.deactivate();
        assertThat(live).isEmpty();
    }
}
