package org.infrakit.flavor.vanilla.impl;

import java.util.Map;

import org.infrakit.plugin.support.FactoryConfiguration;
import org.infrakit.plugin.support.PluginRegistrar;
import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginRef;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A vanilla flavor plugin made by a factory configuration (PID {@value VanillaFlavorConfig#PID}):
 * one plugin service per configuration, named by its {@code name}. Changing a configuration
 * restarts its plugin; deleting it withdraws that plugin only. A configuration without
 * {@code name} is refused in one error line naming its file, and starts nothing (the built-in
 * default keeps serving).
 */
@Designate(ocd = VanillaFlavorConfig.class, factory = true)
@Component(configurationPid = VanillaFlavorConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class ConfiguredVanillaFlavor {
    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredVanillaFlavor.class);

    /** {@code null} when the configuration was refused for want of a name. */
    private final PluginRegistrar<FlavorPlugin>.Claim claim;

    /**
     * @param services where the flavor is published
     * @param config the configuration
     * @param properties the component properties, for the configuration's PID
     * @throws PluginException when the name is not a valid plugin name (the component then stays
     *     inactive, and the error is logged)
     */
    @Activate
    public ConfiguredVanillaFlavor(@Reference VanillaFlavorServices services, VanillaFlavorConfig config,
            Map<String, Object> properties) throws PluginException {
        String origin = "configuration " + properties.get(Constants.SERVICE_PID);
        String name = FactoryConfiguration.requiredName(config.name(), properties, VanillaFlavorConfig.PID,
                DefaultVanillaFlavor.NAME, LOG);
        if (name == null) {
            this.claim = null;
            return;
        }
        String problem = PluginRef.nameProblem(name);
        if (problem != null) {
            LOG.error("Vanilla flavor of {} not started: {}", origin, problem);
            throw new PluginException(origin + ": " + problem);
        }
        this.claim = services.claim(name, new VanillaFlavor(), false, origin);
        if (claim.isServing()) {
            LOG.info("Vanilla flavor {} started from {}", name, origin);
        }
    }

    /** Withdraws the flavor. */
    @Deactivate
    void deactivate() {
        if (claim != null) {
            claim.release();
        }
    }
}
