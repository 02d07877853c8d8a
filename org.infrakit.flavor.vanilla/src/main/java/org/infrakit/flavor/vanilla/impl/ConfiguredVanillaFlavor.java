package org.infrakit.flavor.vanilla.impl;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginProperties;
import org.infrakit.spi.PluginRef;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A vanilla flavor plugin made by a factory configuration (PID {@value VanillaFlavorConfig#PID}):
 * one flavor service per configuration, named by its {@code name} and ranked
 * {@value #CONFIGURED_RANKING}, above the built-in {@link VanillaFlavor}, so a configuration named
 * {@value VanillaFlavor#NAME} serves that name while it exists. Of two configurations with one name,
 * consumers take the older service (lowest {@code service.id}). Changing a configuration restarts
 * its flavor; deleting it withdraws that flavor only.
 *
 * <p>The service is registered here rather than declared to DS because its
 * {@value PluginProperties#NAME} comes from the configuration's {@code name}. A configuration
 * without {@code name} is refused in one error line naming its file and registers nothing (the
 * built-in keeps serving).
 */
@Designate(ocd = VanillaFlavorConfig.class, factory = true)
@Component(configurationPid = VanillaFlavorConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
public final class ConfiguredVanillaFlavor {
    /** A configured flavor's {@code service.ranking}: above the built-in one. */
    static final int CONFIGURED_RANKING = 0;

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredVanillaFlavor.class);

    /** Registers a flavor service with the given properties. */
    @FunctionalInterface
    interface Publisher {
        /** @return how to withdraw it again */
        Runnable publish(FlavorPlugin flavor, Dictionary<String, Object> properties);
    }

    /** {@code null} when the configuration was refused for want of a name. */
    private final Runnable withdraw;

    /**
     * @param config the configuration
     * @param properties the component properties, for the configuration's PID and file
     * @param context where the flavor service is registered
     * @throws PluginException when the name is not a valid plugin name (the component then stays
     *     inactive, and the error is logged)
     */
    @Activate
    public ConfiguredVanillaFlavor(VanillaFlavorConfig config, Map<String, Object> properties, BundleContext context)
            throws PluginException {
        this(config, properties, (flavor, props) -> {
            ServiceRegistration<FlavorPlugin> r = context.registerService(FlavorPlugin.class, flavor, props);
            return () -> {
                try {
                    r.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // the bundle is stopping and the framework has unregistered it already
                }
            };
        });
    }

    ConfiguredVanillaFlavor(VanillaFlavorConfig config, Map<String, Object> properties, Publisher publisher)
            throws PluginException {
        String origin = "configuration " + properties.get(Constants.SERVICE_PID);
        String name = ConfigurationSource.requiredName(config.name(), properties, VanillaFlavorConfig.PID,
                VanillaFlavor.NAME, LOG);
        if (name == null) {
            this.withdraw = null;
            return;
        }
        String problem = PluginRef.nameProblem(name);
        if (problem != null) {
            LOG.error("Vanilla flavor of {} not started: {}", origin, problem);
            throw new PluginException(origin + ": " + problem);
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(PluginProperties.NAME, name);
        props.put(Constants.SERVICE_RANKING, CONFIGURED_RANKING);
        this.withdraw = publisher.publish(new VanillaFlavor(), props);
        LOG.info("Vanilla flavor {} started from {}", name, origin);
    }

    /** Withdraws the flavor. */
    @Deactivate
    void deactivate() {
        if (withdraw != null) {
            withdraw.run();
        }
    }
}
