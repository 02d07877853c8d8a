package org.infrakit.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.infrakit.spi.InfrakitPaths;

/**
 * The plugins directory and the sockets in it, found as the 2017 CLI finds them (discovery.md
 * §1 and §3): {@code $INFRAKIT_PLUGINS_DIR}, else {@code $INFRAKIT_HOME/plugins}, else
 * {@code ~/.infrakit/plugins}; every unix socket in it is a plugin named after its file. Nothing
 * is created: a client only reads the directory.
 */
final class PluginsDirectory {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private PluginsDirectory() {
    }

    /**
     * @param env the environment
     * @param userHome the user's home directory
     * @return the plugins directory, absolute
     */
    static Path resolve(Map<String, String> env, String userHome) {
        // no framework here: the environment alone, resolved as the runtime resolves it
        return InfrakitPaths.resolve(property -> null, env, userHome).pluginsDir();
    }

    /**
     * @param path a file
     * @return whether it is a unix socket (not following a symbolic link)
     */
    static boolean isSocket(Path path) {
        try {
            Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return mode instanceof Integer m && (m & S_IFMT) == S_IFSOCK;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * @param dir the plugins directory
     * @return the names of the sockets in it, sorted; empty when the directory does not exist
     * @throws IOException when the directory exists but cannot be read
     */
    static List<String> socketNames(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return names;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (isSocket(p)) {
                    names.add(p.getFileName().toString());
                }
            }
        }
        names.sort(null);
        return names;
    }
}
