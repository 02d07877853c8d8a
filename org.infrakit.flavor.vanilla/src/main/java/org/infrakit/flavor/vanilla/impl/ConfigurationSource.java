package org.infrakit.flavor.vanilla.impl;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import org.slf4j.Logger;

/**
 * What a plugin component reads from the raw properties of the factory configuration that made
 * it: where the configuration came from, for log lines, and the plugin name it must give.
 *
 * <p>A factory configuration always names its plugin. A name that silently defaulted to the
 * built-in plugin's would make a configuration with a misspelt key ({@code nme}) take the
 * built-in plugin's place, and deleting that file would then leave the instances it made in a
 * directory nobody serves.
 */
final class ConfigurationSource {
    /** The key of the plugin name. */
    static final String NAME = "name";

    /** Set by FileInstall on the configurations it reads from files: the file's URL. */
    static final String FILE_PROPERTY = "felix.fileinstall.filename";

    private ConfigurationSource() {
    }

    /**
     * @param properties a component's or configuration's properties
     * @return the file the configuration was read from (a path), else {@code configuration <pid>}
     */
    static String source(Map<String, ?> properties) {
        Object file = properties.get(FILE_PROPERTY);
        if (file != null) {
            String s = file.toString();
            if (s.startsWith("file:")) {
                try {
                    return Path.of(URI.create(s)).toString();
                } catch (IllegalArgumentException notAFileUrl) {
                    return s;
                }
            }
            return s;
        }
        return "configuration " + properties.get("service.pid");
    }

    /**
     * The plugin name of a factory configuration, or one error line when it has none.
     *
     * @param name the configured name: the configuration type's {@code name()}, which Declarative
     *     Services gives as {@code null} when the configuration has none (the attribute has no default)
     * @param properties the configuration's properties, to name where it came from
     * @param factoryPid its factory PID, for the message
     * @param builtIn the name of the built-in plugin that keeps serving, for the message
     * @param log where the refusal is logged
     * @return the name as given, or {@code null} (after one error line) when it is missing or blank
     */
    static String requiredName(String name, Map<String, ?> properties, String factoryPid, String builtIn,
            Logger log) {
        if (name != null && !name.isBlank()) {
            return name;
        }
        log.error("{}: refused, a configuration of {} must name its plugin ({} = <plugin name>); nothing is "
                + "started and the built-in {} keeps serving", source(properties), factoryPid, NAME, builtIn);
        return null;
    }
}
