package org.infrakit.group.impl;

import java.util.Map;
import java.util.stream.Collectors;

import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginRef;

/** The texts of the group plugin's errors, in the reference's words where it has them. */
final class Failures {
    private Failures() {
    }

    /** @return {@code Failed to find Flavor plugin 'flavor-nope':plugin not found:flavor-nope} */
    static String notFound(String kind, String name) {
        String problem = PluginRef.nameProblem(PluginRef.parse(name).name());
        return "Failed to find " + kind + " plugin '" + name + "':" + (problem != null ? problem : "plugin not found:" + name);
    }

    static PluginException notWatched(String id) {
        return new PluginException("Group '" + id + "' is not being watched");
    }

    /** @return the message of a plugin failure or a transport failure, for humans */
    static String text(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
    }

    static PluginException asPluginException(Exception e) {
        return e instanceof PluginException p ? p : new PluginException(text(e), e);
    }

    /** @return the map as Go prints it: {@code map[a:1 b:2]} */
    static String goMap(Map<String, String> tags) {
        return tags == null ? "map[]" : tags.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(" ", "map[", "]"));
    }
}
