package org.infrakit.group.impl;

import java.util.Map;

import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.PluginRef;

/**
 * Finds instance and flavor plugins by the names group specs use. In the runtime the plugins are
 * OSGi services ({@link PluginRegistry}); tests and benchmarks hand in plain objects.
 */
public interface PluginLookup {
    /**
     * @param ref a plugin name and optional sub-type; the sub-type {@code ""} is the default object
     * @return the instance plugin, or {@code null} when there is none by that name and type now
     */
    InstancePlugin instancePlugin(PluginRef ref);

    /**
     * @param ref a plugin name and optional sub-type; the sub-type {@code ""} is the default object
     * @return the flavor plugin, or {@code null} when there is none by that name and type now
     */
    FlavorPlugin flavorPlugin(PluginRef ref);

    /** A fixed set of plugins by reference ({@code name} or {@code name/type}), for tests and benchmarks. */
    static PluginLookup of(Map<String, ? extends InstancePlugin> instances, Map<String, ? extends FlavorPlugin> flavors) {
        Map<String, InstancePlugin> i = Map.copyOf(instances);
        Map<String, FlavorPlugin> f = Map.copyOf(flavors);
        return new PluginLookup() {
            @Override
            public InstancePlugin instancePlugin(PluginRef ref) {
                return i.get(ref.toString());
            }

            @Override
            public FlavorPlugin flavorPlugin(PluginRef ref) {
                return f.get(ref.toString());
            }
        };
    }
}
