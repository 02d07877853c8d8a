/**
 * The InfraKit plugin SPI: the three plugin interfaces ({@link org.infrakit.spi.GroupPlugin},
 * {@link org.infrakit.spi.InstancePlugin}, {@link org.infrakit.spi.FlavorPlugin}), the value
 * records they exchange, the service properties that name a plugin, and the one exception type a
 * plugin throws.
 *
 * <p>A plugin is an ordinary OSGi service of one of the plugin interfaces carrying the service
 * property {@value org.infrakit.spi.PluginProperties#NAME}. Whether the service is implemented by a
 * local bundle or is a proxy for a foreign process speaking JSON-RPC on a unix socket is invisible
 * to callers: the records here have exactly the JSON form of the 2017 InfraKit wire protocol.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.infrakit.spi;
