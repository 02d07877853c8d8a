package org.infrakit.instance.file.impl;

import java.util.function.BooleanSupplier;

import org.infrakit.plugin.support.PluginRegistrar;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.PluginException;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The bundle's one publisher of file instance plugin services: the built-in default and the
 * configured plugins claim their names here, so that each name is served once (see
 * {@link PluginRegistrar}). A service of this bundle only; nothing outside it uses this type.
 *
 * <p>The plugin services are registered here rather than by DS (their name property comes from
 * the configuration), so the capability the resolver looks for is declared by hand.
 */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=org.infrakit.spi.InstancePlugin",
        uses = InstancePlugin.class)
@Component(service = FileInstanceServices.class)
public final class FileInstanceServices {
    private final PluginRegistrar<InstancePlugin> registrar;

    /** @param context the bundle the plugin services are registered for */
    @Activate
    public FileInstanceServices(BundleContext context) {
        this(PluginRegistrar.osgi(context, InstancePlugin.class), PluginRegistrar.stopping(context));
    }

    /** @param publisher how services are published (tests pass a recorder) */
    FileInstanceServices(PluginRegistrar.Publisher<InstancePlugin> publisher) {
        this(publisher, () -> false);
    }

    /**
     * @param publisher how services are published (tests pass a recorder)
     * @param stopping whether the bundle is stopping, when nothing new is published
     */
    FileInstanceServices(PluginRegistrar.Publisher<InstancePlugin> publisher, BooleanSupplier stopping) {
        this.registrar = new PluginRegistrar<>(publisher, stopping);
    }

    /**
     * @param name the plugin name
     * @param plugin the plugin object
     * @param fallback whether this is the built-in default, which yields to configurations
     * @param origin who claims, for the log
     * @return the claim, released when the claiming component goes away
     */
    PluginRegistrar<InstancePlugin>.Claim claim(String name, InstancePlugin plugin, boolean fallback, String origin) {
        return registrar.claim(name, plugin, fallback, origin);
    }

    /**
     * @param name the plugin name
     * @param opener makes the plugin object (preparing its directory) when it is first published
     * @param fallback whether this is the built-in default, which yields to configurations
     * @param origin who claims, for the log
     * @return the claim, released when the claiming component goes away
     * @throws PluginException when the plugin is published at once and cannot be opened
     */
    PluginRegistrar<InstancePlugin>.Claim claimOpening(String name, PluginRegistrar.Opener<InstancePlugin> opener,
            boolean fallback, String origin) throws PluginException {
        return registrar.claimOpening(name, opener, fallback, origin);
    }

    /** Withdraws every file instance plugin service of the bundle. */
    @Deactivate
    void deactivate() {
        registrar.close();
    }
}
