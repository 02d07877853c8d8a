package org.infrakit.shell.impl;

import java.nio.file.Path;
import java.util.List;

/**
 * What the RPC bridge knows about sockets, in the shell's own types: the plugins it serves and
 * the sockets it could not import. Registered by {@link BridgeStatusSource} only while the bridge
 * runs, so that the shell itself never loads a class of the bridge's bundle.
 */
public interface PluginSockets {
    /** @return the folder the plugin sockets live in */
    Path pluginsDir();

    /** @return the local plugins the bridge serves, or tried to */
    List<Served> exported();

    /** @return the local plugins the bridge does not serve, with the reason */
    List<Problem> notExported();

    /** @return the sockets the bridge did not import, with the reason */
    List<Problem> notImported();

    /**
     * A local plugin the bridge serves.
     *
     * @param name the plugin's name
     * @param socket the socket it is served on
     * @param problem why it is not served after all, or {@code null} when it is
     */
    record Served(String name, Path socket, String problem) {
    }

    /**
     * A plugin or socket the bridge could not export or import.
     *
     * @param name the plugin's name
     * @param socket its socket, or {@code null} when there is none
     * @param reason why, for humans
     */
    record Problem(String name, Path socket, String reason) {
    }
}
