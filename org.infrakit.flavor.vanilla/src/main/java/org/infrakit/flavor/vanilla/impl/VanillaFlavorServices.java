package org.infrakit.flavor.vanilla.impl;

import java.util.function.BooleanSupplier;

import org.infrakit.plugin.support.PluginRegistrar;
import org.infrakit.spi.FlavorPlugin;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The bundle's one publisher of vanilla flavor services: the built-in default and the configured
 * ones claim their names here, so that each name is served once (see {@link PluginRegistrar}).
 * A service of this bundle only; nothing outside it uses this type.
 *
 * <p>The flavor services are registered here rather than by DS (their name property comes from
 * the configuration), so the capability the resolver looks for is declared by hand.
 */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=org.infrakit.spi.FlavorPlugin",
        uses = FlavorPlugin.class)
@Component(service = VanillaFlavorServices.class)
public final class VanillaFlavorServices {
    private final PluginRegistrar<FlavorPlugin> registrar;

    /** @param context the bundle the flavor services are registered for */
    @Activate
    public VanillaFlavorServices(BundleContext context) {
        this(PluginRegistrar.osgi(context, FlavorPlugin.class), PluginRegistrar.stopping(context));
    }

    /** @param publisher how services are published (tests pass a recorder) */
    VanillaFlavorServices(PluginRegistrar.Publisher<FlavorPlugin> publisher) {
        this(publisher, () -> false);
    }

    /**
     * @param publisher how services are published (tests pass a recorder)
     * @param stopping whether the bundle is stopping, when nothing new is published
     */
    VanillaFlavorServices(PluginRegistrar.Publisher<FlavorPlugin> publisher, BooleanSupplier stopping) {
        this.registrar = new PluginRegistrar<>(publisher, stopping);
    }

    /**
     * @param name the plugin name
     * @param flavor the plugin object
     * @param fallback whether this is the built-in default, which yields to configurations
     * @param origin who claims, for the log
     * @return the claim, released when the claiming component goes away
     */
    PluginRegistrar<FlavorPlugin>.Claim claim(String name, FlavorPlugin flavor, boolean fallback, String origin) {
        return registrar.claim(name, flavor, fallback, origin);
    }

    /** Withdraws every flavor service of the bundle. */
    @Deactivate
    void deactivate() {
        registrar.close();
    }
}
