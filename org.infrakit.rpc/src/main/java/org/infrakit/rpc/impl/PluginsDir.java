package org.infrakit.rpc.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Where plugin sockets live: {@code $INFRAKIT_PLUGINS_DIR}, else {@code $INFRAKIT_HOME/plugins},
 * else {@code ~/.infrakit/plugins}; a configured directory wins over all three.
 */
public final class PluginsDir {
    private PluginsDir() {
    }

    /**
     * @param configured the bridge's configured directory, or {@code null}/empty for the default
     * @param env the environment to read ({@code System.getenv()} in production)
     * @param userHome the user's home directory
     * @return the plugins directory, absolute
     */
    public static Path resolve(String configured, Map<String, String> env, String userHome) {
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured).toAbsolutePath().normalize();
        }
        String dir = env.get("INFRAKIT_PLUGINS_DIR");
        if (dir != null && !dir.isEmpty()) {
            return Paths.get(dir).toAbsolutePath().normalize();
        }
        String home = env.get("INFRAKIT_HOME");
        if (home != null && !home.isEmpty()) {
            return Paths.get(home, "plugins").toAbsolutePath().normalize();
        }
        return Paths.get(userHome, ".infrakit", "plugins").toAbsolutePath().normalize();
    }

    /** @param configured the configured directory, or {@code null} @return the directory for this process */
    public static Path resolve(String configured) {
        return resolve(configured, System.getenv(), System.getProperty("user.home"));
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
