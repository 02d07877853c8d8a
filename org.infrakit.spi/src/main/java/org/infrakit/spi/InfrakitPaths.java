package org.infrakit.spi;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.function.Function;

/**
 * Where the runtime keeps its files. Every component resolves its directories here, so that one
 * setting moves all of them.
 *
 * <p>The home is the framework (or system) property {@value #HOME_PROPERTY} when set, else the
 * environment variable {@code INFRAKIT_HOME}, else {@code ~/.infrakit}. The property comes first so
 * that a program embedding the runtime, which cannot change its own environment, can still choose.
 * The plugins directory is {@value #PLUGINS_DIR_PROPERTY}, else {@code $INFRAKIT_PLUGINS_DIR}, else
 * {@code <home>/plugins} — the reference's order with the property in front.
 */
public final class InfrakitPaths {
    /** Framework or system property naming the home directory. */
    public static final String HOME_PROPERTY = "infrakit.home";
    /** Framework or system property naming the plugins directory. */
    public static final String PLUGINS_DIR_PROPERTY = "infrakit.plugins.dir";

    private final Path home;
    private final Path pluginsDir;

    private InfrakitPaths(Path home, Path pluginsDir) {
        this.home = home;
        this.pluginsDir = pluginsDir;
    }

    /**
     * @param property reads a framework property (e.g. {@code BundleContext::getProperty}), may
     *     answer {@code null}
     * @param env the environment
     * @param userHome the user's home directory
     * @return the paths
     */
    public static InfrakitPaths resolve(Function<String, String> property, Map<String, String> env, String userHome) {
        String h = firstSet(property.apply(HOME_PROPERTY), env.get("INFRAKIT_HOME"));
        Path home = (h != null ? Paths.get(h) : Paths.get(userHome, ".infrakit")).toAbsolutePath().normalize();
        String p = firstSet(property.apply(PLUGINS_DIR_PROPERTY), env.get("INFRAKIT_PLUGINS_DIR"));
        Path plugins = (p != null ? Paths.get(p) : home.resolve("plugins")).toAbsolutePath().normalize();
        return new InfrakitPaths(home, plugins);
    }

    /**
     * @param property reads a framework property, may answer {@code null}
     * @return the paths of this process, reading its environment and {@code user.home}
     */
    public static InfrakitPaths resolve(Function<String, String> property) {
        return resolve(property, System.getenv(), System.getProperty("user.home"));
    }

    /** @return the paths of this process from system properties and the environment */
    public static InfrakitPaths fromSystem() {
        return resolve(System::getProperty);
    }

    private static String firstSet(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b != null && !b.isEmpty() ? b : null;
    }

    /** @return the home directory, absolute */
    public Path home() {
        return home;
    }

    /** @return the plugins directory (sockets), absolute */
    public Path pluginsDir() {
        return pluginsDir;
    }

    /** @return {@code <home>/instances}, the default file instance plugin's directory */
    public Path instances() {
        return home.resolve("instances");
    }

    /** @return {@code <home>/groups}, where committed group specs are kept */
    public Path groups() {
        return home.resolve("groups");
    }

    /** @return {@code <home>/logs} */
    public Path logs() {
        return home.resolve("logs");
    }

    /** @param name a sub-directory name @return {@code <home>/<name>} */
    public Path under(String name) {
        return home.resolve(name);
    }
}
