package org.infrakit.instance.file.impl;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.infrakit.spi.DestroyContext;
import org.infrakit.spi.InfrakitPaths;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginName;
import org.infrakit.spi.RawJson;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in file instance plugin, {@value #NAME}, storing in {@code <home>/instances} (the home
 * is the framework property {@code infrakit.home}, else {@code $INFRAKIT_HOME}, else
 * {@code ~/.infrakit}; see {@link InfrakitPaths}): always there, without any configuration, ranked
 * {@value #BUILT_IN_RANKING}. A factory configuration (PID {@value FileInstanceConfig#PID}) that
 * uses the same name is ranked higher and serves the name while it exists; that is how the
 * default's directory is moved.
 *
 * <p>The directory is created and probed on the first call, not at activation: consumers obtain
 * every plugin service, including this one while a configuration outranks it, and its directory
 * must not appear then. When the directory cannot be created or written, that call fails with the
 * reason (logged once per reason), and the next call tries again.
 *
 * <p>While the bundle stops, SCR withdraws the configured plugins one by one and consumers may
 * fall back on this one for a moment: it refuses every call then, so that nothing is made in the
 * default directory in place of a configured one.
 */
@PluginName(DefaultFileInstance.NAME)
@Component(service = InstancePlugin.class, configurationPolicy = ConfigurationPolicy.IGNORE,
        property = "service.ranking:Integer=" + DefaultFileInstance.BUILT_IN_RANKING)
public final class DefaultFileInstance implements InstancePlugin {
    /** The default plugin name, as in the reference. */
    public static final String NAME = "instance-file";

    /** The built-in plugin's {@code service.ranking}: below any configured one. */
    static final int BUILT_IN_RANKING = -1;

    private static final Logger LOG = LoggerFactory.getLogger(DefaultFileInstance.class);

    private final Path dir;
    private final BooleanSupplier stopping;
    private FileInstancePlugin plugin;
    private String lastProblem;
    private boolean closed;

    /** @param context the bundle's context, for the framework property {@code infrakit.home} */
    @Activate
    public DefaultFileInstance(BundleContext context) {
        this(InfrakitPaths.resolve(context::getProperty), () -> {
            try {
                return context.getBundle().getState() == Bundle.STOPPING;
            } catch (IllegalStateException stopped) {
                return true;
            }
        });
    }

    /**
     * @param paths where the runtime keeps its files
     * @param stopping whether the bundle is stopping, when every call is refused
     */
    DefaultFileInstance(InfrakitPaths paths, BooleanSupplier stopping) {
        this.dir = InstanceDirs.resolve(null, paths);
        this.stopping = stopping;
    }

    /** @return the directory, whether prepared yet or not */
    Path dir() {
        return dir;
    }

    /** @return the plugin, its directory prepared on the first call */
    private synchronized FileInstancePlugin plugin() throws PluginException {
        if (closed || stopping.getAsBoolean()) {
            throw new PluginException("file instance plugin " + NAME + " is stopped");
        }
        if (plugin == null) {
            try {
                plugin = new FileInstancePlugin(NAME, dir);
            } catch (PluginException e) {
                if (!e.getMessage().equals(lastProblem)) {
                    LOG.error("File instance plugin {} cannot serve: {}", NAME, e.getMessage());
                }
                lastProblem = e.getMessage();
                throw e;
            }
            LOG.info("File instance plugin {} started, storing in {}", NAME, dir);
        }
        return plugin;
    }

    @Override
    public void validate(RawJson properties) throws PluginException {
        plugin().validate(properties);
    }

    @Override
    public String provision(InstanceSpec spec) throws PluginException {
        return plugin().provision(spec);
    }

    @Override
    public void label(String instance, Map<String, String> labels) throws PluginException {
        plugin().label(instance, labels);
    }

    @Override
    public void destroy(String instance, DestroyContext context) throws PluginException {
        plugin().destroy(instance, context);
    }

    @Override
    public List<InstanceDescription> describeInstances(Map<String, String> tags, boolean properties)
            throws PluginException {
        return plugin().describeInstances(tags, properties);
    }

    /** Stops the plugin, if it was ever used. */
    @Deactivate
    synchronized void deactivate() {
        closed = true;
        if (plugin != null) {
            plugin.close();
        }
    }

    @Override
    public String toString() {
        return NAME + " (" + dir + ")";
    }
}
