package org.infrakit.rpc.impl.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.infrakit.rpc.impl.PluginKind;
import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.GroupPlugin;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.InterfaceSpec;
import org.infrakit.spi.Tags;

/**
 * The plugin objects one socket serves: at most one group plugin, and instance and flavor plugins
 * keyed by sub-type ({@code ""} is the default object). Immutable.
 *
 * @param group the group plugin, or {@code null}
 * @param instances instance plugins by sub-type
 * @param flavors flavor plugins by sub-type
 */
public record PluginObjects(GroupPlugin group, SortedMap<String, InstancePlugin> instances,
        SortedMap<String, FlavorPlugin> flavors) {

    /** Nothing served. */
    public static final PluginObjects EMPTY = new PluginObjects(null, null, null);

    /** Canonical constructor: the maps are copied, sorted in UTF-8 order. */
    public PluginObjects {
        instances = copy(instances);
        flavors = copy(flavors);
    }

    private static <T> SortedMap<String, T> copy(Map<String, T> m) {
        TreeMap<String, T> c = new TreeMap<>(Tags.UTF8_ORDER);
        if (m != null) {
            c.putAll(m);
        }
        return Collections.unmodifiableSortedMap(c);
    }

    /**
     * @param group the group plugin, or {@code null}
     * @param instances instance plugins by sub-type, or {@code null}
     * @param flavors flavor plugins by sub-type, or {@code null}
     * @return the objects
     */
    public static PluginObjects of(GroupPlugin group, Map<String, InstancePlugin> instances,
            Map<String, FlavorPlugin> flavors) {
        return new PluginObjects(group, copy(instances), copy(flavors));
    }

    /** @param g the group plugin @return a socket serving only it */
    public static PluginObjects ofGroup(GroupPlugin g) {
        return new PluginObjects(g, null, null);
    }

    /** @return whether nothing is served */
    public boolean isEmpty() {
        return group == null && instances.isEmpty() && flavors.isEmpty();
    }

    /** @param kind a kind @return whether an object of that kind is served */
    public boolean serves(PluginKind kind) {
        return switch (kind) {
            case GROUP -> group != null;
            case INSTANCE -> !instances.isEmpty();
            case FLAVOR -> !flavors.isEmpty();
        };
    }

    /** @return the interfaces served, in the order Group, Instance, Flavor */
    public List<InterfaceSpec> interfaces() {
        List<InterfaceSpec> out = new ArrayList<>(3);
        for (PluginKind k : PluginKind.values()) {
            if (serves(k)) {
                out.add(k.spec());
            }
        }
        return out;
    }

    /**
     * @return {@code Name/Version} to the sorted sub-types served, {@code "."} standing for the
     *     default object, as {@code Handshake.Types} reports them
     */
    public SortedMap<String, List<String>> types() {
        TreeMap<String, List<String>> out = new TreeMap<>(Tags.UTF8_ORDER);
        if (group != null) {
            out.put(PluginKind.GROUP.spec().toString(), List.of("."));
        }
        if (!instances.isEmpty()) {
            out.put(PluginKind.INSTANCE.spec().toString(), typeNames(instances));
        }
        if (!flavors.isEmpty()) {
            out.put(PluginKind.FLAVOR.spec().toString(), typeNames(flavors));
        }
        return out;
    }

    private static List<String> typeNames(Map<String, ?> m) {
        List<String> names = new ArrayList<>();
        for (String t : m.keySet()) {
            names.add(t.isEmpty() ? "." : t);
        }
        names.sort(Tags.UTF8_ORDER);
        return List.copyOf(names);
    }

    /**
     * @return a short account for people, e.g. {@code [Group/0.1.0, Instance/0.6.0 (., ec2)]}
     */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : types().entrySet()) {
            List<String> t = e.getValue();
            out.add(t.equals(List.of(".")) ? e.getKey() : e.getKey() + " " + t);
        }
        return out;
    }
}
