package org.infrakit.rpc.impl;

import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.GroupPlugin;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.InterfaceSpec;

/** The three plugin interfaces this runtime speaks, with their SPI type and wire name/version. */
public enum PluginKind {
    /** {@code Group/0.1.0}; no sub-types. */
    GROUP(GroupPlugin.class, InterfaceSpec.GROUP, false),
    /** {@code Instance/0.6.0}; sub-types through {@code Type}. */
    INSTANCE(InstancePlugin.class, InterfaceSpec.INSTANCE, true),
    /** {@code Flavor/0.1.0}; sub-types through {@code Type}. */
    FLAVOR(FlavorPlugin.class, InterfaceSpec.FLAVOR, true);

    private final Class<?> type;
    private final InterfaceSpec spec;
    private final boolean typed;

    PluginKind(Class<?> type, InterfaceSpec spec, boolean typed) {
        this.type = type;
        this.spec = spec;
        this.typed = typed;
    }

    /** @return the SPI interface */
    public Class<?> type() {
        return type;
    }

    /** @return the interface name and version on the wire */
    public InterfaceSpec spec() {
        return spec;
    }

    /** @return whether objects of this kind have sub-types */
    public boolean typed() {
        return typed;
    }

    /** @param name an interface name as a handshake reports it @return the kind with that name, or {@code null} */
    public static PluginKind named(String name) {
        for (PluginKind k : values()) {
            if (k.spec.name().equals(name)) {
                return k;
            }
        }
        return null;
    }
}
