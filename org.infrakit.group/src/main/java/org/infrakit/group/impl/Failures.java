package org.infrakit.group.impl;

import java.util.Map;

import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginRef;

/** The texts of the group plugin's errors, in the reference's words where it has them. */
final class Failures {
    private Failures() {
    }

    /**
     * @param kind {@code Instance} or {@code Flavor}
     * @param name the plugin reference as written in the spec
     * @return why no plugin of that name can be used now, in the reference's words:
     *     {@code Failed to find Flavor plugin 'flavor-nope':plugin not found:flavor-nope}
     */
    static String notFound(String kind, String name) {
        String problem = PluginRef.nameProblem(PluginRef.parse(name).name());
        return "Failed to find " + kind + " plugin '" + name + "':" + (problem != null ? problem : "plugin not found:" + name);
    }

    /**
     * @param id a group ID
     * @return the error for a group that is not managed
     */
    static PluginException notWatched(String id) {
        return new PluginException("Group '" + id + "' is not being watched");
    }

    /**
     * @param e a failure of a plugin call: a {@link PluginException}, or a transport failure
     * @return its message for humans
     */
    static String text(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
    }

    /**
     * @param e a failure of a plugin call
     * @return it as a plugin failure, with the same message
     */
    static PluginException asPluginException(Exception e) {
        return e instanceof PluginException p ? p : new PluginException(text(e), e);
    }

    /**
     * @param tags a tag map
     * @return the map as Go prints it: {@code map[a:1 b:2]}
     */
    static String goMap(Map<String, String> tags) {
        StringBuilder b = new StringBuilder("map[");
        if (tags != null) {
            boolean first = true;
            for (Map.Entry<String, String> e : tags.entrySet()) {
                if (!first) {
                    b.append(' ');
                }
                first = false;
                b.append(e.getKey()).append(':').append(e.getValue());
            }
        }
        return b.append(']').toString();
    }
}
