package org.infrakit.launch.impl;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import org.infrakit.spi.PluginException;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One external plugin descriptor (factory configuration {@code org.infrakit.launch}, e.g. the file
 * {@code deploy/org.infrakit.launch-<name>.cfg}): declares its plugin to the launcher while the
 * configuration exists. Deleting the configuration stops the process; the bundle or the runtime
 * stopping leaves that to the launcher's shutdown (which spares detachable plugins). A bad
 * descriptor is reported in one log line and launches nothing.
 */
@Component(configurationPid = LaunchConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = LaunchConfig.class, factory = true)
public final class ExternalPluginDescriptor {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalPluginDescriptor.class);

    private final Launcher launcher;

    /**
     * @param runtime the launcher component
     * @param config the descriptor
     * @param properties the raw configuration, only to name the file in messages (unknown keys are
     *     reported by the runtime's configuration check, against this descriptor's metatype)
     */
    @Activate
    public ExternalPluginDescriptor(@Reference ExternalPluginsComponent runtime, LaunchConfig config,
            Map<String, Object> properties) {
        this.launcher = runtime.launcher();
        apply(config, properties, true);
    }

    /** @param config the changed descriptor @param properties the raw configuration */
    @Modified
    void modified(LaunchConfig config, Map<String, Object> properties) {
        apply(config, properties, false);
    }

    /** @param reason why DS deactivates this descriptor */
    @Deactivate
    void deactivate(int reason) {
        if (reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED
                || reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED
                || reason == ComponentConstants.DEACTIVATION_REASON_DISABLED) {
            launcher.remove(this);
        }
        // bundle stopped, runtime shutting down, launcher gone: the launcher's own shutdown decides
    }

    private void apply(LaunchConfig config, Map<String, Object> properties, boolean initial) {
        String source = source(properties);
        try {
            launcher.declare(this, PluginSpec.from(config), file(properties));
        } catch (PluginException e) {
            // a typo in an edited descriptor must not take down a plugin that works
            LOG.error("{}: {}{}", source, e.getMessage(),
                    initial ? "" : "; the plugin keeps running with its previous descriptor");
        }
    }

    /** @return the file FileInstall read the descriptor from, or {@code null} */
    private static Path file(Map<String, Object> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        if (file == null) {
            return null;
        }
        try {
            return Path.of(URI.create(file.toString()));
        } catch (IllegalArgumentException notAFileUrl) {
            return null;
        }
    }

    private static String source(Map<String, Object> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        if (file != null) {
            String s = file.toString();
            return s.substring(s.lastIndexOf('/') + 1);
        }
        return "configuration " + properties.getOrDefault("service.pid", LaunchConfig.PID);
    }
}
