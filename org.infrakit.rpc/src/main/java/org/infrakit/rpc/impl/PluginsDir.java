package org.infrakit.rpc.impl;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.infrakit.spi.InfrakitPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where plugin sockets live: a configured directory wins; else the runtime's plugins directory
 * from {@link InfrakitPaths} (framework property {@value InfrakitPaths#PLUGINS_DIR_PROPERTY}, else
 * {@code $INFRAKIT_PLUGINS_DIR}, else {@code <home>/plugins}, the home being
 * {@value InfrakitPaths#HOME_PROPERTY}, else {@code $INFRAKIT_HOME}, else {@code ~/.infrakit}).
 */
public final class PluginsDir {
    private static final Logger LOG = LoggerFactory.getLogger(PluginsDir.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

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
     * Makes the directory private to this user (discovery.md §1, departures D4):
     * <ul>
     * <li>missing: it is created, with every missing parent, each with mode 0700;</li>
     * <li>existing, owned by this process's uid, with any group or other permission: it is changed to
     * 0700, and one warning names the old and the new mode;</li>
     * <li>existing and owned by another uid, with any group or other permission: it is left as it is,
     * with one warning (a directory that is not ours is never changed);</li>
     * <li>existing with mode 0700 (or stricter): nothing happens.</li>
     * </ul>
     * A symbolic link to a directory is judged, and changed, by the directory it points to. Parents
     * that exist already are never changed.
     *
     * @param dir the directory
     * @return the directory
     * @throws IOException when the path is a file or cannot be created or read
     */
    public static Path ensure(Path dir) throws IOException {
        return ensure(dir, ownUid());
    }

    /**
     * As {@link #ensure(Path)}, with the uid that counts as this process's owner given.
     *
     * @param dir the directory
     * @param ownUid the uid whose directories may be changed
     * @return the directory
     * @throws IOException when the path is a file or cannot be created or read
     */
    static Path ensure(Path dir, int ownUid) throws IOException {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
            throw new IOException("Plugin dir " + dir + " is a file");
        }
        if (!Files.isDirectory(dir)) {
            create(dir);
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
        if (OWNER_ONLY.containsAll(mode)) {
            return dir;
        }
        int owner = (Integer) Files.getAttribute(dir, "unix:uid");
        if (owner == ownUid) {
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
            LOG.warn("The plugins directory {} had mode {}: changed it to {}, so that only its owner reaches the "
                    + "plugin sockets", dir, describe(mode), describe(OWNER_ONLY));
        } else {
            LOG.warn("The plugins directory {} has mode {} and belongs to uid {}, not to this process (uid {}): "
                    + "left as it is; make it {} (chmod 700) so that only its owner reaches the plugin sockets", dir,
                    describe(mode), owner, ownUid, describe(OWNER_ONLY));
        }
        return dir;
    }

    /** Creates the missing levels of {@code dir}, outermost first, each with mode 0700 whatever the umask. */
    private static void create(Path dir) throws IOException {
        Path parent = dir.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            create(parent);
        }
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(dir)) {
                // made by another process just now: not ours to change (the caller judges the last level)
                return;
            }
            throw e;
        }
        Files.setPosixFilePermissions(dir, OWNER_ONLY);
    }

    /**
     * The uid a file created by this process gets: the owner a directory must have to be changed.
     * Read from a temporary file, which works wherever the JDK has the {@code unix} attribute view;
     * the temporary directory must be writable anyway (the socket library unpacks its native code
     * there).
     *
     * @return this process's uid
     * @throws IOException when no temporary file can be made
     */
    public static int ownUid() throws IOException {
        Path probe = Files.createTempFile("infrakit-uid", null);
        try {
            return (Integer) Files.getAttribute(probe, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** @return e.g. {@code 0755 (rwxr-xr-x)} */
    static String describe(Set<PosixFilePermission> mode) {
        int bits = 0;
        for (PosixFilePermission p : mode) {
            // the enum runs OWNER_READ .. OTHERS_EXECUTE, the octal digits' bits from the highest down
            bits |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o (%s)", bits, PosixFilePermissions.toString(mode));
    }
}
