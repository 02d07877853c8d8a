package org.infrakit.rpc.impl.server;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the bridge does with socket files: stale/live detection, permissions, careful removal. */
public final class SocketFiles {
    private static final Logger LOG = LoggerFactory.getLogger(SocketFiles.class);
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private SocketFiles() {
    }

    /** A socket path that must not be taken: a live process answers on it, or it is not a socket. */
    public static final class SocketConflictException extends IOException {
        private static final long serialVersionUID = 1L;

        SocketConflictException(String message) {
            super(message);
        }
    }

    /**
     * @param path a path
     * @return whether it is a unix socket (symbolic links are not followed)
     */
    /**
     * The size of a unix socket address's path on this platform ({@code sizeof(sun_path)}), the
     * terminating NUL included: 108 bytes on Linux, 104 on macOS and the BSDs. A longer path is not
     * refused by the socket calls everywhere: it may be cut short, leaving a socket at a path
     * nobody looks for.
     */
    public static final int SUN_PATH_BYTES = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT)
            .contains("linux") ? 108 : 104;

    /**
     * The longest socket path a plugin may have, in bytes: {@link #SUN_PATH_BYTES} less the
     * terminating NUL and one more byte, because Java's own unix socket channels (which our
     * clients use) refuse a path that fills {@code sun_path} to the last byte before the NUL.
     */
    public static final int MAX_PATH_BYTES = SUN_PATH_BYTES - 2;

    /**
     * @param dir the plugins directory
     * @param name a valid plugin name
     * @return why {@code <dir>/<name>} cannot be a socket path on this platform, in one line that
     *     names the plugin and the limit, or {@code null} when it can
     */
    public static String pathProblem(Path dir, String name) {
        Path socket = dir.toAbsolutePath().resolve(name);
        int bytes = socket.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes <= MAX_PATH_BYTES) {
            return null;
        }
        return "plugin name '" + name + "' is too long for a socket in " + dir + ": the path " + socket + " has "
                + bytes + " bytes, and a socket path may have at most " + MAX_PATH_BYTES + " here (the "
                + SUN_PATH_BYTES + " bytes of sun_path less the terminating NUL and one byte Java keeps); use a "
                + "shorter name or plugins directory";
    }

    public static boolean isSocket(Path path) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & S_IFMT) == S_IFSOCK;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Makes the path free for a new socket of the plugin {@code name}: nothing there is fine; a
     * socket file nobody answers on (connection refused: its process died) is removed; anything
     * else is never touched.
     *
     * @param path the socket path
     * @param name the plugin name, for messages
     * @throws SocketConflictException when a live process answers on the path, or it is not a socket
     * @throws IOException when the stale file cannot be removed
     */
    public static void claim(Path path, String name) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path dir = path.getParent();
        if (!isSocket(path)) {
            throw new SocketConflictException("Cannot serve plugin '" + name + "' in " + dir + ": " + path
                    + " exists and is not a socket; remove it or choose another name");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
        } catch (ConnectException e) {
            // ECONNREFUSED: the file is left over from a process that is gone
            Files.deleteIfExists(path);
            LOG.info("Removed the stale socket file {} (nothing answers on it) to serve plugin '{}'", path, name);
            return;
        } catch (IOException e) {
            throw new SocketConflictException("Cannot serve plugin '" + name + "' in " + dir + ": the socket " + path
                    + " exists and cannot be probed (" + e.getMessage() + "); it is left alone");
        }
        throw new SocketConflictException("Cannot serve plugin '" + name + "' in " + dir
                + ": another live process already serves that name on " + path
                + "; stop it or give this plugin another name");
    }

    /** @param path a socket just bound by this process @throws IOException when its mode cannot be set */
    public static void restrict(Path path) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    }

    /**
     * @param path a path
     * @return its file key (device and inode), or {@code null} when it does not exist
     */
    public static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Removes a socket file only if it is still the one we made (same inode): a file another
     * process bound meanwhile is left alone.
     *
     * @param path the socket path
     * @param key the file key recorded when it was bound
     * @return whether a file was removed
     */
    public static boolean removeIfOurs(Path path, Object key) {
        Object now = fileKey(path);
        if (now == null || !now.equals(key)) {
            return false;
        }
        try {
            return Files.deleteIfExists(path);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            LOG.warn("Cannot remove socket file {}: {}", path, e.getMessage());
            return false;
        }
    }
}
