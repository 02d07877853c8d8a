package org.infrakit.rpc.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.function.Function;

import org.infrakit.spi.InfrakitPaths;

/**
 * Where plugin sockets live: a configured directory wins; else the runtime's plugins directory
 * from {@link InfrakitPaths} (framework property {@value InfrakitPaths#PLUGINS_DIR_PROPERTY}, else
 * {@code $INFRAKIT_PLUGINS_DIR}, else {@code <home>/plugins}, the home being
 * {@value InfrakitPaths#HOME_PROPERTY}, else {@code $INFRAKIT_HOME}, else {@code ~/.infrakit}).
 */
public final class PluginsDir {
    private PluginsDir() {
    }

    /**
     * @param configured the bridge's configured directory, or {@code null}/empty for the default
     * @param property reads a framework property ({@code BundleContext::getProperty}); may answer {@code null}
     * @param env the environment to read ({@code System.getenv()} in production)
     * @param userHome the user's home directory
     * @return the plugins directory, absolute
     */
    public static Path resolve(String configured, Function<String, String> property, Map<String, String> env,
            String userHome) {
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured).toAbsolutePath().normalize();
        }
        return InfrakitPaths.resolve(property, env, userHome).pluginsDir();
    }

    /**
     * @param configured the configured directory, or {@code null}
     * @param property reads a framework property; may answer {@code null}
     * @return the directory for this process
     */
    public static Path resolve(String configured, Function<String, String> property) {
        return resolve(configured, property, System.getenv(), System.getProperty("user.home"));
    }

    /**
     * Creates the directory (and parents) with mode 0700 when it does not exist.
     *
     * @param dir the directory
     * @return the directory
     * @throws IOException when the path is a file or cannot be created
     */
    public static Path ensure(Path dir) throws IOException {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
            throw new IOException("Plugin dir " + dir + " is a file");
        }
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        return dir;
    }
}
