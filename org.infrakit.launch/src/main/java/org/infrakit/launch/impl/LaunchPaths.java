package org.infrakit.launch.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.infrakit.spi.InfrakitPaths;

/**
 * Where the launcher works.
 *
 * @param home InfraKit's home: the configured one, else {@link InfrakitPaths#home()} (framework
 *     property {@code infrakit.home}, else {@code $INFRAKIT_HOME}, else {@code ~/.infrakit});
 *     handed to plugins as {@code INFRAKIT_HOME}; launch records live in {@code launch/},
 *     detachable plugins' output in {@code logs/}
 * @param pluginsDir the plugins directory: the configured one, else
 *     {@link InfrakitPaths#pluginsDir()}, as the RPC bridge resolves it; handed to plugins as
 *     {@code INFRAKIT_PLUGINS_DIR}
 */
record LaunchPaths(Path home, Path pluginsDir) {

    /** Canonical constructor: both paths made absolute. */
    LaunchPaths {
        home = home.toAbsolutePath().normalize();
        pluginsDir = pluginsDir.toAbsolutePath().normalize();
    }

    /**
     * @param configuredHome a configured home, or empty for the runtime's
     * @param configuredPluginsDir a configured plugins directory, or empty for the runtime's
     * @param runtime the runtime's paths, used for what is not configured
     * @return the resolved paths
     */
    static LaunchPaths resolve(String configuredHome, String configuredPluginsDir, InfrakitPaths runtime) {
        Path home = configuredHome != null && !configuredHome.isBlank() ? Path.of(configuredHome) : runtime.home();
        Path plugins = configuredPluginsDir != null && !configuredPluginsDir.isBlank() ? Path.of(configuredPluginsDir)
                : runtime.pluginsDir();
        return new LaunchPaths(home, plugins);
    }

    /** @param name a plugin name @return its socket */
    Path socket(String name) {
        return pluginsDir.resolve(name);
    }

    /** @param name a plugin name @return its launch record */
    Path record(String name) {
        return home.resolve("launch").resolve(name + ".json");
    }

    /** @param name a plugin name @return the file a detachable plugin's output goes to */
    Path logFile(String name) {
        return home.resolve("logs").resolve(name + ".log");
    }

    /**
     * Creates a directory (and parents) with mode 0700 when it does not exist.
     *
     * @param dir the directory
     * @return the directory
     * @throws IOException when the path is a file or cannot be created
     */
    static Path ensureDirectory(Path dir) throws IOException {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
            throw new IOException("directory " + dir + " is a file");
        }
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        return dir;
    }
}
