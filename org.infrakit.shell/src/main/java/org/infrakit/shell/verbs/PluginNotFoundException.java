package org.infrakit.shell.verbs;

import java.io.Serial;
import java.util.Collection;
import java.util.TreeSet;

import org.infrakit.spi.PluginRef;

/** There is no plugin of the wanted kind with the wanted name. The message is the line to show. */
public class PluginNotFoundException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    /** @param message the one line to show */
    public PluginNotFoundException(String message) {
        super(message);
    }

    /**
     * The standard message: {@code no Instance plugin named 'x' (known: a, b)}, or
     * {@code (known: none)}.
     *
     * @param kind the wanted kind
     * @param ref the wanted plugin
     * @param known the references of the plugins of that kind that do exist
     * @return the exception
     */
    public static PluginNotFoundException of(PluginKind kind, PluginRef ref, Collection<String> known) {
        TreeSet<String> names = new TreeSet<>(known);
        return new PluginNotFoundException("no " + kind.title() + " plugin named '" + ref + "' (known: "
                + (names.isEmpty() ? "none" : String.join(", ", names)) + ")");
    }
}
