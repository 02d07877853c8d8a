package org.infrakit.launch.impl;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.infrakit.launch.ExternalPlugin;
import org.infrakit.launch.ExternalPlugins;
import org.infrakit.spi.InfrakitPaths;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launcher of the runtime: owns the {@link Launcher} and registers it as
 * {@link ExternalPlugins}. Descriptor components ({@link ExternalPluginDescriptor}) find it
 * through its implementation class, which only this bundle can see. Deactivation is the
 * runtime's shutdown: every plugin is stopped except detachable ones that are up.
 */
@Component(service = {ExternalPlugins.class, ExternalPluginsComponent.class}, configurationPid = RuntimeConfig.PID,
        immediate = true)
@Designate(ocd = RuntimeConfig.class)
public final class ExternalPluginsComponent implements ExternalPlugins {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalPluginsComponent.class);

    private final Launcher launcher;

    /**
     * @param config where plugins' sockets, records and logs are
     * @param context the bundle's context, for the framework properties {@code infrakit.home} and
     *     {@code infrakit.plugins.dir} that apply where the configuration says nothing
     */
    @Activate
    public ExternalPluginsComponent(RuntimeConfig config, BundleContext context) {
        this(config, InfrakitPaths.resolve(context::getProperty));
    }

    /**
     * @param config where plugins' sockets, records and logs are
     * @param runtime the runtime's paths, for what the configuration leaves empty
     */
    ExternalPluginsComponent(RuntimeConfig config, InfrakitPaths runtime) {
        LaunchPaths paths = LaunchPaths.resolve(config.home(), config.plugins_dir(), runtime);
        this.launcher = new Launcher(paths, LineSink.slf4j(), Clock.systemUTC(), Launcher.LINES_PER_SECOND);
        LOG.info("external plugins: sockets in {}, launch records and logs in {}", paths.pluginsDir(), paths.home());
    }

    /** Stops the plugins, leaving detachable ones that are up running. */
    @Deactivate
    void deactivate() {
        launcher.close();
    }

    /** @return the launcher, for the descriptor components */
    Launcher launcher() {
        return launcher;
    }

    @Override
    public List<ExternalPlugin> list() {
        return launcher.list();
    }

    @Override
    public Optional<ExternalPlugin> get(String name) {
        return launcher.get(name);
    }
}
