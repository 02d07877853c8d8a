package org.infrakit.instance.file.impl;

import java.nio.file.Path;
import java.util.Map;

import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.PluginException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in file instance plugin, {@value #NAME}, storing in {@code $INFRAKIT_HOME/instances}
 * ({@code INFRAKIT_HOME} defaulting to {@code ~/.infrakit}): always there, without any
 * configuration. A factory configuration (PID {@value FileInstanceConfig#PID}) that uses the same
 * name takes its place while it exists; that is how the default's directory is moved.
 *
 * <p>When the directory cannot be created or written, activation fails with the reason logged,
 * and no service is registered.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, immediate = true)
public final class DefaultFileInstance {
    /** The default plugin name, as in the reference. */
    public static final String NAME = "instance-file";

    private static final Logger LOG = LoggerFactory.getLogger(DefaultFileInstance.class);

    private final FileInstancePlugin plugin;
    private final PluginRegistrar<InstancePlugin>.Claim claim;

    /**
     * @param services where the plugin is published
     * @throws PluginException when the directory cannot be used
     */
    @Activate
    public DefaultFileInstance(@Reference FileInstanceServices services) throws PluginException {
        this(services, System.getenv(), System.getProperty("user.home"));
    }

    /**
     * @param services where the plugin is published
     * @param env the environment to read {@code INFRAKIT_HOME} from
     * @param userHome the user's home directory
     * @throws PluginException when the directory cannot be used
     */
    DefaultFileInstance(FileInstanceServices services, Map<String, String> env, String userHome)
            throws PluginException {
        Path dir = InstanceDirs.resolve(null, env, userHome);
        try {
            this.plugin = new FileInstancePlugin(NAME, dir);
        } catch (PluginException e) {
            LOG.error("File instance plugin {} not started: {}", NAME, e.getMessage());
            throw e;
        }
        try {
            this.claim = services.claim(NAME, plugin, true, "the built-in default (" + dir + ")");
        } catch (RuntimeException e) {
            plugin.close();
            throw e;
        }
        if (claim.isServing()) {
            LOG.info("File instance plugin {} started, storing in {}", NAME, dir);
        }
    }

    /** Withdraws the plugin and stops it. */
    @Deactivate
    void deactivate() {
        claim.release();
        plugin.close();
    }
}
