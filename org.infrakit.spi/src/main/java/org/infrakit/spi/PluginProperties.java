package org.infrakit.spi;

/**
 * Names of the OSGi service properties that describe a plugin service.
 */
public final class PluginProperties {
    /**
     * The plugin's name: the file name of its socket in the plugins directory, and the name other
     * plugins and group specs use to find it (for example {@code instance-file}). Required on every
     * plugin service; a service without it is neither exported nor found. Must be a valid
     * {@link PluginRef#validateName(String) plugin name}.
     */
    public static final String NAME = "infrakit.plugin.name";

    /**
     * The optional sub-type of an instance or flavor plugin. One socket can serve several typed
     * objects of one interface: a reference {@code instance-aws/ec2-volume} addresses the service
     * with {@code infrakit.plugin.name=instance-aws} and {@code infrakit.plugin.type=ec2-volume}.
     * Absent or empty means the default (untyped) object. On the wire the sub-type travels as the
     * {@code "Type"} member of every Instance and Flavor request.
     */
    public static final String TYPE = "infrakit.plugin.type";

    /**
     * Set to {@code true} by the RPC bridge on every proxy it registers for a foreign socket
     * (the standard OSGi remote-services property). Imported services are never exported again.
     */
    public static final String IMPORTED = "service.imported";

    /**
     * Set by the RPC bridge on imported services: the absolute path of the socket the proxy talks
     * to.
     */
    public static final String SOCKET = "infrakit.plugin.socket";

    private PluginProperties() {
    }
}
