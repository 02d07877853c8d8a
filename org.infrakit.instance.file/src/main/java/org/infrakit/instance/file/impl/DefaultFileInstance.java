package org.infrakit.instance.file.impl;

import java.nio.file.Path;

import org.infrakit.plugin.support.PluginRegistrar;
import org.infrakit.spi.InfrakitPaths;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.PluginException;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in file instance plugin, {@value #NAME}, storing in {@code <home>/instances} (the home
 * is the framework property {@code infrakit.home}, else {@code $INFRAKIT_HOME}, else
 * {@code ~/.infrakit}; see {@link InfrakitPaths}): always there, without any configuration. A
 * factory configuration (PID {@value FileInstanceConfig#PID}) that uses the same name takes its
 * place while it exists; that is how the default's directory is moved.
 *
 * <p>The directory is created and probed only when the default is published: not while a
 * configuration replaces it. When it cannot be created or written at activation, activation fails
 * with the reason logged, and no service is registered; when that happens later, as a replacing
 * configuration goes away, the reason is logged and the name is left unserved.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, immediate = true)
public final class DefaultFileInstance {
    /** The default plugin name, as in the reference. */
    public static final String NAME = "instance-file";

    private static final Logger LOG = LoggerFactory.getLogger(DefaultFileInstance.class);

    private final PluginRegistrar<InstancePlugin>.Claim claim;

    /**
     * @param services where the plugin is published
     * @param context the bundle's context, for the framework property {@code infrakit.home}
     * @throws PluginException when the directory cannot be used
     */
    @Activate
    public DefaultFileInstance(@Reference FileInstanceServices services, BundleContext context)
            throws PluginException {
        this(services, InfrakitPaths.resolve(context::getProperty));
    }

    /**
     * @param services where the plugin is published
     * @param paths where the runtime keeps its files
     * @throws PluginException when the plugin is published at once and its directory cannot be used
     */
    DefaultFileInstance(FileInstanceServices services, InfrakitPaths paths) throws PluginException {
        Path dir = InstanceDirs.resolve(null, paths);
        try {
            this.claim = services.claimOpening(NAME, () -> new FileInstancePlugin(NAME, dir), true,
                    "the built-in default (" + dir + ")");
        } catch (PluginException e) {
            LOG.error("File instance plugin {} not started: {}", NAME, e.getMessage());
            throw e;
        }
        if (claim.isServing()) {
            LOG.info("File instance plugin {} started, storing in {}", NAME, dir);
        }
    }

    /** Withdraws the plugin and stops it, if it was ever opened. */
    @Deactivate
    void deactivate() {
        claim.release();
        if (claim.opened() instanceof FileInstancePlugin plugin) {
            plugin.close();
        }
    }
}
