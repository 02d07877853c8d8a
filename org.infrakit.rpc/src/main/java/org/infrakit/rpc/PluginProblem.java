package org.infrakit.rpc;

import java.nio.file.Path;

/**
 * A plugin the bridge does not serve or import, and why, in words for people.
 *
 * @param name the plugin name as found (may be invalid)
 * @param socket the socket path concerned, or {@code null} when there is none
 * @param reason why, e.g. {@code speaks Instance/0.5.0; this runtime speaks Instance/0.6.0}
 */
public record PluginProblem(String name, Path socket, String reason) {
}
