package org.infrakit.group.impl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.rpc.json.ProtocolJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The committed group specs, one JSON file per group in a directory ({@code <home>/groups} by
 * default), so that management resumes after a restart.
 *
 * <p>Writes are atomic (temporary file in the same directory, forced, renamed over the old one, the
 * directory forced): a reader sees the old spec or the new one, never half of one. A file that
 * cannot be read back is renamed aside ({@code <name>.corrupt-<millis>}), never deleted.
 *
 * <p>File names come from the group ID: letters, digits, {@code -} and {@code _} are kept, every
 * other byte of the UTF-8 form is written {@code %XX}, a long ID is shortened with a SHA-1 suffix.
 * The ID inside the file is the authoritative one.
 *
 * <p>A group paused by a failed DestroyGroup also has a marker {@code <name>.paused}
 * ({@link #markPaused}), written like a spec and never read: its presence is the fact, its text is
 * for people.
 */
public final class SpecStore {
    private static final Logger LOG = LoggerFactory.getLogger(SpecStore.class);
    private static final String SUFFIX = ".json";
    private static final String PAUSED_SUFFIX = ".paused";
    private static final String TEMP_PREFIX = ".tmp-";
    private static final int MAX_READABLE_NAME = 120;

    private final Path dir;
    /** Files loaded under a name other than the one derived from their ID (renamed by hand). */
    private final Map<String, Path> loadedPaths = new ConcurrentHashMap<>();

    /** A spec read back, from {@code file}; {@code paused} when its group has a pause marker. */
    public record Stored(Path file, GroupSpec spec, boolean paused) {
    }

    /** @param dir the directory; created on the first write */
    public SpecStore(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    /**
     * Reads every stored spec, ordered by file name, and whether its group is paused. Unreadable
     * files are moved aside; temporary files of an interrupted write (never committed) are removed,
     * and so are pause markers without a readable spec; each with a log line.
     */
    public List<Stored> load() {
        List<Stored> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(files::add);
        } catch (IOException e) {
            LOG.error("Cannot read the group state directory {}: {}", dir, e.toString());
            return out;
        }
        files.sort(null);
        Set<String> markers = new HashSet<>();
        List<Stored> read = new ArrayList<>();
        for (Path p : files) {
            String name = p.getFileName().toString();
            if (name.startsWith(TEMP_PREFIX)) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.warn("Cannot remove the temporary file {}: {}", p, e.toString());
                }
                continue;
            }
            if (name.endsWith(PAUSED_SUFFIX) && Files.isRegularFile(p)) {
                markers.add(name);
                continue;
            }
            if (!name.endsWith(SUFFIX) || !Files.isRegularFile(p)) {
                continue;
            }
            try {
                String text = Files.readString(p, StandardCharsets.UTF_8);
                GroupSpec spec = ProtocolJson.decode(text, GroupSpec.class);
                if (spec == null || spec.id().isEmpty()) {
                    throw new PluginException("no group ID");
                }
                read.add(new Stored(p, spec, false));
                if (!p.equals(fileFor(spec.id()))) {
                    loadedPaths.put(spec.id(), p);
                }
            } catch (PluginException | IOException | RuntimeException e) {
                quarantine(p, e.getMessage());
            }
        }
        for (Stored s : read) {
            out.add(new Stored(s.file(), s.spec(), markers.remove(markerName(s.spec().id()))));
        }
        for (String stray : markers) {
            Path p = dir.resolve(stray);
            try {
                Files.deleteIfExists(p);
                LOG.info("Removed the pause marker {}: no group is stored for it", p);
            } catch (IOException e) {
                LOG.warn("Cannot remove the pause marker {}, for which no group is stored: {}", p, e.toString());
            }
        }
        return out;
    }

    /** Renames a file that cannot be used aside: kept for inspection, not loaded again. */
    public void quarantine(Path file, String reason) {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
        try {
            Files.move(file, aside);
            LOG.error("Ignored the unreadable group state file {} ({}); kept as {}", file, reason, aside);
        } catch (IOException e) {
            LOG.error("Ignored the unreadable group state file {} ({}); it could not be moved aside: {}", file,
                    reason, e.toString());
        }
    }

    /**
     * Stores a spec atomically, replacing the group's previous one.
     *
     * @throws IOException when it could not be written; the previous spec is then intact
     */
    public void save(GroupSpec spec) throws IOException {
        ensureDir();
        Path target = fileFor(spec.id());
        write(target, ProtocolJson.write(spec).getBytes(StandardCharsets.UTF_8), SUFFIX);
        Path old = loadedPaths.remove(spec.id());
        if (old != null && !old.equals(target)) {
            Files.deleteIfExists(old);
        }
        syncDir();
    }

    /**
     * Removes a group's spec, then its pause marker. A marker that cannot be removed is only logged:
     * without a spec it pauses nothing, and the next {@link #load()} removes it.
     *
     * @throws IOException when the spec could not be removed
     */
    public void delete(String id) throws IOException {
        boolean removed = Files.deleteIfExists(fileFor(id));
        Path old = loadedPaths.remove(id);
        if (old != null) {
            removed |= Files.deleteIfExists(old);
        }
        if (removed) {
            syncDir(); // the spec is gone before the marker: a crash in between leaves only a stray marker
        }
        try {
            clearPaused(id);
        } catch (IOException e) {
            LOG.warn("Cannot remove the pause marker {} of the removed group '{}' (removed at the next start): {}",
                    markerFor(id), id, e.toString());
        }
    }

    /**
     * Records atomically that a group is paused after a failed DestroyGroup: {@link #load()} then
     * reports it {@link Stored#paused() paused}.
     *
     * @param reason written into the marker for people; never read back
     * @throws IOException when the marker could not be written; an earlier one is then intact
     */
    public void markPaused(String id, String reason) throws IOException {
        ensureDir();
        write(markerFor(id), (reason + "\n").getBytes(StandardCharsets.UTF_8), PAUSED_SUFFIX);
        syncDir();
    }

    /** @throws IOException when the group's pause marker exists and could not be removed */
    public void clearPaused(String id) throws IOException {
        if (Files.deleteIfExists(markerFor(id))) {
            syncDir();
        }
    }

    public Path fileFor(String id) {
        return dir.resolve(fileName(id));
    }

    public Path markerFor(String id) {
        return dir.resolve(markerName(id));
    }

    static String fileName(String id) {
        return baseName(id) + SUFFIX;
    }

    private static String markerName(String id) {
        return baseName(id) + PAUSED_SUFFIX;
    }

    private static String baseName(String id) {
        byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder();
        for (byte x : utf8) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        if (b.length() > MAX_READABLE_NAME) {
            int cut = MAX_READABLE_NAME - 40;
            while (cut > 0 && (b.charAt(cut - 1) == '%' || (cut > 1 && b.charAt(cut - 2) == '%'))) {
                cut--;
            }
            try {
                return b.substring(0, cut) + "~" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(utf8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return b.toString();
    }

    /** A temporary file (removed by {@link #load()} if left behind), forced, renamed; the caller forces the directory. */
    private void write(Path target, byte[] bytes, String suffix) throws IOException {
        Path temp = Files.createTempFile(dir, TEMP_PREFIX, suffix);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                for (ByteBuffer buf = ByteBuffer.wrap(bytes); buf.hasRemaining();) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void ensureDir() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the default permissions
            }
        }
    }

    private void syncDir() {
        // Makes the rename itself durable. Not every platform can open a directory: best effort.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("Cannot force the directory {} to disk: {}", dir, e.toString());
        }
    }
}
