package org.infrakit.instance.file.impl;

import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.infrakit.spi.InfrakitPaths;
import org.infrakit.spi.InstancePlugin;
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
 * A file instance plugin made by a factory configuration (PID {@value FileInstanceConfig#PID}):
 * one plugin service per configuration, named by its {@code name}, storing in its {@code dir}, and
 * ranked {@value #CONFIGURED_RANKING}, above the built-in {@link DefaultFileInstance}: a
 * configuration named {@code instance-file} serves that name while it exists. Of two configurations
 * with one name, consumers take the older service (lowest {@code service.id}). Changing a
 * configuration restarts its plugin; deleting it withdraws that plugin only.
 *
 * <p>The service is registered here rather than declared to DS because its
 * {@value PluginProperties#NAME} comes from the configuration's {@code name}. A configuration
 * without {@code name} is refused in one error line naming its file, and registers nothing (the
 * built-in keeps serving). A bad name or a directory that cannot be created or written fails
 * activation with the reason logged, and no service is registered.
 */
@Designate(ocd = FileInstanceConfig.class, factory = true)
@Component(configurationPid = FileInstanceConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
public final class ConfiguredFileInstance {
    /** A configured plugin's {@code service.ranking}: above the built-in one. */
    static final int CONFIGURED_RANKING = 0;

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredFileInstance.class);

    /** Registers an instance plugin service with the given properties. */
    @FunctionalInterface
    interface Publisher {
        /** @return how to withdraw it again */
        Runnable publish(InstancePlugin plugin, Dictionary<String, Object> properties);
    }

    /** {@code null} (with {@link #withdraw}) when the configuration was refused for want of a name. */
    private final FileInstancePlugin plugin;
    private final Runnable withdraw;

    /**
     * @param config the configuration
     * @param properties the component properties, for the configuration's PID and file
     * @param context where the service is registered, and the framework property
     *     {@code infrakit.home} that places the default directory
     * @throws PluginException when the name is invalid or the directory cannot be used
     */
    @Activate
    public ConfiguredFileInstance(FileInstanceConfig config, Map<String, Object> properties, BundleContext context)
            throws PluginException {
        this(config, properties, InfrakitPaths.resolve(context::getProperty), (plugin, props) -> {
            ServiceRegistration<InstancePlugin> r = context.registerService(InstancePlugin.class, plugin, props);
            return () -> {
                try {
                    r.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // the bundle is stopping and the framework has unregistered it already
                }
            };
        });
    }

    ConfiguredFileInstance(FileInstanceConfig config, Map<String, Object> properties, InfrakitPaths paths,
            Publisher publisher) throws PluginException {
        String origin = "configuration " + properties.get(Constants.SERVICE_PID);
        String name = ConfigurationSource.requiredName(config.name(), properties, FileInstanceConfig.PID,
                DefaultFileInstance.NAME, LOG);
        if (name == null) {
            this.plugin = null;
            this.withdraw = null;
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
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(PluginProperties.NAME, name);
        props.put(Constants.SERVICE_RANKING, CONFIGURED_RANKING);
        try {
            this.withdraw = publisher.publish(plugin, props);
        } catch (RuntimeException e) {
            plugin.close();
            throw e;
        }
        LOG.info("File instance plugin {} started from {}, storing in {}", name, origin, dir);
    }

    /** Withdraws the plugin and stops it. */
    @Deactivate
    void deactivate() {
        if (withdraw != null) {
            withdraw.run();
            plugin.close();
        }
    }
}
