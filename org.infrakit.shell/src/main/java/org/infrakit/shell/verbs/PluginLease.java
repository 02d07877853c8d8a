package org.infrakit.shell.verbs;

import java.util.Objects;

/**
 * A plugin borrowed for one verb: the service object or proxy, and how to give it back (unget
 * the OSGi service, close the socket client). Closed exactly once by the verb.
 *
 * @param <T> the SPI interface
 * @param plugin the plugin to call
 * @param release gives the plugin back; must not throw
 */
public record PluginLease<T>(T plugin, Runnable release) implements AutoCloseable {
    /** Canonical constructor. */
    public PluginLease {
        Objects.requireNonNull(plugin, "plugin");
        release = release == null ? () -> { } : release;
    }

    /**
     * @param <T> the SPI interface
     * @param plugin a plugin that needs no release
     * @return a lease whose close does nothing
     */
    public static <T> PluginLease<T> of(T plugin) {
        return new PluginLease<>(plugin, null);
    }

    /** Gives the plugin back. */
    @Override
    public void close() {
        release.run();
    }
}
