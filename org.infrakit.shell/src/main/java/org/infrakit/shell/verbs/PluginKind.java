package org.infrakit.shell.verbs;

import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.GroupPlugin;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.InterfaceSpec;

/** The three kinds of plugin the verbs work on, with their SPI type and interface. */
public enum PluginKind {
    /** {@link GroupPlugin}, {@code Group/0.1.0}. */
    GROUP(GroupPlugin.class, GroupPlugin.INTERFACE),
    /** {@link InstancePlugin}, {@code Instance/0.6.0}. */
    INSTANCE(InstancePlugin.class, InstancePlugin.INTERFACE),
    /** {@link FlavorPlugin}, {@code Flavor/0.1.0}. */
    FLAVOR(FlavorPlugin.class, FlavorPlugin.INTERFACE);

    private final Class<?> type;
    private final InterfaceSpec api;

    PluginKind(Class<?> type, InterfaceSpec api) {
        this.type = type;
        this.api = api;
    }

    /** @return the SPI interface a plugin of this kind implements */
    public Class<?> type() {
        return type;
    }

    /** @return the interface and version, e.g. {@code Instance/0.6.0} */
    public InterfaceSpec api() {
        return api;
    }

    /** @return the interface name as people read it: {@code Group}, {@code Instance}, {@code Flavor} */
    public String title() {
        return api.name();
    }

    /**
     * @param type an SPI interface
     * @return its kind
     * @throws IllegalArgumentException when the type is not one of the three plugin interfaces
     */
    public static PluginKind of(Class<?> type) {
        for (PluginKind k : values()) {
            if (k.type.equals(type)) {
                return k;
            }
        }
        throw new IllegalArgumentException("not a plugin interface: " + type.getName());
    }

    /**
     * @param objectClass a class name as an OSGi service lists it in {@code objectClass}
     * @return its kind, or {@code null} when it is not one of the three plugin interfaces
     */
    public static PluginKind ofClassName(String objectClass) {
        for (PluginKind k : values()) {
            if (k.type.getName().equals(objectClass)) {
                return k;
            }
        }
        return null;
    }
}
