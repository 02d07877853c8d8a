package org.infrakit.rpc;

import java.nio.file.Path;
import java.util.List;

/**
 * A foreign socket whose plugin objects are registered as services.
 *
 * @param name the plugin name (the socket file's name)
 * @param socket the socket path
 * @param interfaces what was imported, e.g. {@code Instance/0.6.0 [., ec2]}
 * @param notSpoken interfaces the socket offers that this runtime does not speak, e.g.
 *     {@code Metadata/0.1.0}; empty when none
 */
public record ImportedPlugin(String name, Path socket, List<String> interfaces, List<String> notSpoken) {
    /** Canonical constructor: the lists are copied. */
    public ImportedPlugin {
        interfaces = List.copyOf(interfaces);
        notSpoken = List.copyOf(notSpoken);
    }
}
