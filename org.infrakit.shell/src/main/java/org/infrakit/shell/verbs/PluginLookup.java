package org.infrakit.shell.verbs;

import org.infrakit.spi.PluginRef;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Finds a plugin for a verb. Inside the runtime it is the OSGi service registry; the command-line
 * client implements it with socket proxies.
 *
 * <p>A reference {@code name} addresses the plugin's default object (a service whose
 * {@code infrakit.plugin.type} is absent or empty); {@code name/type} a typed object.
 */
@ConsumerType
public interface PluginLookup {
    /**
     * Borrows a plugin. The caller closes the lease when the verb is done.
     *
     * @param <T> the SPI interface
     * @param type {@link org.infrakit.spi.GroupPlugin}, {@link org.infrakit.spi.InstancePlugin} or
     *     {@link org.infrakit.spi.FlavorPlugin}
     * @param ref the plugin's name and sub-type
     * @return the plugin, to be closed after use
     * @throws PluginNotFoundException when there is no such plugin; build it with
     *     {@link PluginNotFoundException#of(PluginKind, PluginRef, java.util.Collection)} so that
     *     every front end says it the same way
     * @throws org.osgi.framework.ServiceException when the plugin exists but cannot be used (a
     *     socket that does not answer)
     */
    <T> PluginLease<T> open(Class<T> type, PluginRef ref) throws PluginNotFoundException;
}
