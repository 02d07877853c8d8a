package org.infrakit.flavor.vanilla.impl;

import org.infrakit.plugin.support.PluginRegistrar;
import org.infrakit.spi.FlavorPlugin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in vanilla flavor, {@value #NAME}: always there, without any configuration. A factory
 * configuration (PID {@value VanillaFlavorConfig#PID}) that uses the same name takes its place
 * while it exists.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, immediate = true)
public final class DefaultVanillaFlavor {
    /** The default plugin name, as in the reference. */
    public static final String NAME = "flavor-vanilla";

    private static final Logger LOG = LoggerFactory.getLogger(DefaultVanillaFlavor.class);

    private final PluginRegistrar<FlavorPlugin>.Claim claim;

    /** @param services where the flavor is published */
    @Activate
    public DefaultVanillaFlavor(@Reference VanillaFlavorServices services) {
        this.claim = services.claim(NAME, new VanillaFlavor(), true, "the built-in default");
        if (claim.isServing()) {
            LOG.info("Vanilla flavor {} started", NAME);
        }
    }

    /** Withdraws the flavor. */
    @Deactivate
    void deactivate() {
        claim.release();
    }
}
