package org.infrakit.instance.file.impl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import org.infrakit.spi.PluginException;

/**
 * Writes files so that a reader, or a crash, sees either the old content or the new, never a
 * mix: the bytes go to a temporary file in the same directory, which is flushed to disk and then
 * renamed over the target (rename is atomic within a file system).
 *
 * <p>Temporary files are named {@code .<target>.<random>.infrakit-tmp}; {@link #isTemporary}
 * recognises them so that directory listings skip them.
 */
final class AtomicFiles {
    /** Suffix of every temporary file this plugin creates. */
    static final String TMP_SUFFIX = ".infrakit-tmp";

    private static final Pattern TEMPORARY_FORM = Pattern.compile("\\..+\\.[0-9a-f]{1,16}" + Pattern.quote(TMP_SUFFIX));
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<OpenOption> CREATE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

    private AtomicFiles() {
    }

    /**
     * @param fileName a directory entry's name
     * @return whether it is one of our temporary files
     */
    static boolean isTemporary(String fileName) {
        return fileName.startsWith(".") && fileName.endsWith(TMP_SUFFIX);
    }

    /**
     * Stricter than {@link #isTemporary}, for deciding what may be deleted: exactly the form
     * {@link #temporary} gives, {@code .<target>.<random hex long>.infrakit-tmp}.
     *
     * @param fileName a directory entry's name
     * @return whether {@link #temporary} could have made that name
     */
    static boolean hasTemporaryForm(String fileName) {
        return TEMPORARY_FORM.matcher(fileName).matches();
    }

    /**
     * @param dir the directory
     * @param prefix what the name says the file is for
     * @return a fresh temporary name in the directory
     */
    static Path temporary(Path dir, String prefix) {
        return dir.resolve("." + prefix + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TMP_SUFFIX);
    }

    /**
     * Creates a new file with mode 0644 (less the umask, as for the reference) and writes it.
     *
     * @param file the file, which must not exist
     * @param content the bytes
     * @param sync whether to flush the content to disk before returning
     * @throws IOException when it cannot be created or written (a partly written file is left)
     */
    static void create(Path file, byte[] content, boolean sync) throws IOException {
        FileAttribute<?>[] attrs = POSIX
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"))}
                : new FileAttribute<?>[0];
        try (FileChannel ch = FileChannel.open(file, CREATE, attrs)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (sync) {
                ch.force(true);
            }
        }
    }

    /**
     * Replaces (or creates) a file atomically.
     *
     * @param target the file
     * @param content its new bytes
     * @param leftovers where a temporary file that cannot be removed after a failure is recorded
     *     (the directory refuses changes: read-only, immutable, append-only), for
     *     {@link #removeLeftovers} to remove once it can
     * @throws PluginException {@code open <target>: <reason>} when anything fails; the target is
     *     then unchanged, and the temporary file is removed or recorded in {@code leftovers}
     */
    static void write(Path target, byte[] content, Set<Path> leftovers) throws PluginException {
        Path dir = target.getParent() == null ? Paths.get("") : target.getParent();
        Path tmp = temporary(dir, target.getFileName().toString());
        try {
            create(tmp, content, true);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException notNow) {
                leftovers.add(tmp);
            }
            throw new PluginException(FileErrors.text("open", target, e), e);
        }
        syncDirectory(dir);
    }

    /**
     * Removes the temporary files that failed writes could not remove; those that still cannot be
     * removed stay recorded for the next try. (They are invisible to listings meanwhile.)
     *
     * @param leftovers the recorded files; a concurrent set
     */
    static void removeLeftovers(Set<Path> leftovers) {
        if (leftovers.isEmpty()) {
            return;
        }
        for (Iterator<Path> it = leftovers.iterator(); it.hasNext();) {
            try {
                Files.deleteIfExists(it.next());
                it.remove();
            } catch (IOException e) {
                // the directory still refuses: tried again at the next call
            }
        }
    }

    /**
     * Flushes a directory's entries (the rename just done) to disk. Best effort: not every file
     * system lets a directory be opened for this.
     *
     * @param dir the directory
     */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // the rename itself is atomic; only its durability across a power loss is at stake
        }
    }
}
