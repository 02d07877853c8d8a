package org.infrakit.rpc;

import java.nio.file.Path;
import java.util.List;

/**
 * A plugin name this runtime serves on a socket.
 *
 * @param name the plugin name
 * @param socket the socket path
 * @param interfaces what is served, e.g. {@code Group/0.1.0} or {@code Instance/0.6.0 [., ec2]}
 *     (the sub-types in brackets, {@code .} for the default object)
 * @param problem {@code null} while the socket is served; otherwise why it is not (for instance a
 *     live process of another runtime holds the name), retried periodically
 */
public record ExportedPlugin(String name, Path socket, List<String> interfaces, String problem) {
    /** Canonical constructor: the list is copied. */
    public ExportedPlugin {
        interfaces = List.copyOf(interfaces);
    }
}
