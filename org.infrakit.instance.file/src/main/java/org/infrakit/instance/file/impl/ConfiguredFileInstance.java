package org.infrakit.instance.file.impl;

import java.nio.file.Path;
import java.util.Map;

import org.infrakit.plugin.support.FactoryConfiguration;
import org.infrakit.plugin.support.PluginRegistrar;
import org.infrakit.spi.InfrakitPaths;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginRef;
import org.osgi.framework.BundleContext;
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
 * A file instance plugin made by a factory configuration (PID {@value FileInstanceConfig#PID}):
 * one plugin service per configuration, named by its {@code name}, storing in its {@code dir}.
 * Changing a configuration restarts its plugin; deleting it withdraws that plugin only.
 *
 * <p>Names: a configuration without {@code name} is refused in one error line naming its file,
 * and starts nothing (the built-in default keeps serving). A configuration named like the
 * built-in default ({@code instance-file}) replaces the default while it exists. A second configuration with a name another configuration already
 * serves is not published (a warning says so) until the first one is deleted. A bad name or a
 * directory that cannot be created or written fails activation with the reason logged, and no
 * service is registered.
 */
@Designate(ocd = FileInstanceConfig.class, factory = true)
@Component(configurationPid = FileInstanceConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class ConfiguredFileInstance {
    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredFileInstance.class);

    /** {@code null} (with {@link #claim}) when the configuration was refused for want of a name. */
    private final FileInstancePlugin plugin;
    private final PluginRegistrar<InstancePlugin>.Claim claim;

    /**
     * @param services where the plugin is published
     * @param config the configuration
     * @param properties the component properties, for the configuration's PID
     * @param context the bundle's context, for the framework property {@code infrakit.home} that
     *     places the default directory
     * @throws PluginException when the name is invalid or the directory cannot be used
     */
    @Activate
    public ConfiguredFileInstance(@Reference FileInstanceServices services, FileInstanceConfig config,
            Map<String, Object> properties, BundleContext context) throws PluginException {
        this(services, config, properties, InfrakitPaths.resolve(context::getProperty));
    }

    /**
     * @param services where the plugin is published
     * @param config the configuration
     * @param properties the component properties, for the configuration's PID
     * @param paths where the runtime keeps its files, for an empty {@code dir}
     * @throws PluginException when the name is invalid or the directory cannot be used
     */
    ConfiguredFileInstance(FileInstanceServices services, FileInstanceConfig config, Map<String, Object> properties,
            InfrakitPaths paths) throws PluginException {
        String origin = "configuration " + properties.get(Constants.SERVICE_PID);
        String name = FactoryConfiguration.requiredName(config.name(), properties, FileInstanceConfig.PID,
                DefaultFileInstance.NAME, LOG);
        if (name == null) {
            this.plugin = null;
            this.claim = null;
            return;
        }
        String problem = PluginRef.nameProblem(name);
        if (problem != null) {
            LOG.error("File instance plugin of {} not started: {}", origin, problem);
            throw new PluginException(origin + ": " + problem);
        }
        Path dir = InstanceDirs.resolve(config.dir(), paths);
        try {
            this.plugin = new FileInstancePlugin(name, dir);
        } catch (PluginException e) {
            LOG.error("File instance plugin {} of {} not started: {}", name, origin, e.getMessage());
            throw new PluginException(origin + ": " + e.getMessage(), e);
        }
        try {
            this.claim = services.claim(name, plugin, false, origin + " (" + dir + ")");
        } catch (RuntimeException e) {
            plugin.close();
            throw e;
        }
        if (claim.isServing()) {
            LOG.info("File instance plugin {} started from {}, storing in {}", name, origin, dir);
        }
    }

    /** Withdraws the plugin and stops it. */
    @Deactivate
    void deactivate() {
        if (claim != null) {
            claim.release();
            plugin.close();
        }
    }
}
