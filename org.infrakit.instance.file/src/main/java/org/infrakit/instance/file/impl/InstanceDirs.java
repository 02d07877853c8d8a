package org.infrakit.instance.file.impl;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;

import org.infrakit.spi.InfrakitPaths;
import org.infrakit.spi.PluginException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where instance files live, and getting that directory ready.
 *
 * <p><b>Temporary files left by a crash.</b> Every write goes through a temporary file
 * ({@link AtomicFiles}) that is renamed into place; a process killed between creating it and
 * renaming it leaves it behind. Such files are invisible to DescribeInstances and are removed when
 * a plugin starts on the directory ({@link #prepare}), by this rule: an entry is removed only when
 * <ul>
 * <li>its name has exactly the form {@link AtomicFiles#temporary} gives,
 *     {@code .<target>.<hex>.infrakit-tmp} ({@link AtomicFiles#hasTemporaryForm}), and</li>
 * <li>it is a regular file (not a directory, not a symbolic link: we never create those), and</li>
 * <li>it was last modified more than {@value #STALE_TEMPORARY_MILLIS} ms ago.</li>
 * </ul>
 * The age is what makes removal safe. The name says neither which process wrote the file nor when,
 * and a start does not mean that no write is in flight: several file plugins may share one
 * directory (configurations naming the same {@code dir}, a configuration replacing the default
 * {@code instance-file} on {@code <home>/instances} while that one still works, two runtimes). A
 * live write creates, writes, flushes and renames its temporary file within milliseconds, and
 * removing the file under it would fail that write; a temporary file untouched for a minute is
 * taken to have no writer left. A younger one is kept (still invisible) and removed by a later
 * start.
 */
final class InstanceDirs {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceDirs.class);

    /** How old a temporary file must be to be taken for a crash's leftover; see the class comment. */
    static final long STALE_TEMPORARY_MILLIS = 60_000;

    private InstanceDirs() {
    }

    /**
     * @param configured a configured directory, or {@code null}/blank for the default
     * @param paths where the runtime keeps its files
     * @return the configured directory (relative ones stay relative: they are resolved against the
     *     working directory, as the reference's {@code --dir} is), else {@code <home>/instances}
     *     (see {@link InfrakitPaths})
     */
    static Path resolve(String configured, InfrakitPaths paths) {
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured).normalize();
        }
        return paths.instances();
    }

    /**
     * Makes sure the directory exists and can be written: creates it (and its parents) when it is
     * missing, proves it writable by creating and removing a file in it, and removes the temporary
     * files a crash left behind that are old enough (see the class comment).
     *
     * @param dir the directory
     * @param clock the clock that says which temporary files are old
     * @throws PluginException saying what is wrong, when the directory cannot be used
     */
    static void prepare(Path dir, Clock clock) throws PluginException {
        if (!Files.isDirectory(dir)) {
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new PluginException("instance directory " + dir + " is not a directory");
            }
            try {
                Files.createDirectories(dir);
                LOG.info("Created instance directory {}", dir);
            } catch (FileAlreadyExistsException e) {
                throw new PluginException("cannot create instance directory " + dir + ": " + e.getFile()
                        + " exists and is not a directory", e);
            } catch (IOException e) {
                Path blocker = nearestExisting(dir.toAbsolutePath().getParent());
                String why = blocker != null && !Files.isDirectory(blocker) ? blocker + " is not a directory"
                        : FileErrors.reason(e);
                throw new PluginException("cannot create instance directory " + dir + ": " + why, e);
            }
        }
        Path probe = AtomicFiles.temporary(dir, "probe");
        try {
            AtomicFiles.create(probe, new byte[0], false);
            Files.delete(probe);
        } catch (IOException e) {
            throw new PluginException("instance directory " + dir + " cannot be written: " + FileErrors.reason(e), e);
        }
        removeStaleTemporaries(dir, clock);
    }

    private static Path nearestExisting(Path p) {
        while (p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            p = p.getParent();
        }
        return p;
    }

    private static void removeStaleTemporaries(Path dir, Clock clock) {
        long cutoff = clock.millis() - STALE_TEMPORARY_MILLIS;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
                p -> AtomicFiles.hasTemporaryForm(p.getFileName().toString()))) {
            for (Path p : entries) {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (a.isRegularFile() && a.lastModifiedTime().toMillis() < cutoff) {
                        Files.delete(p);
                        LOG.info("Removed {}, left over from an interrupted write", p);
                    }
                } catch (NoSuchFileException e) {
                    // renamed into place (a write in flight) or removed meanwhile: nothing to do
                } catch (IOException e) {
                    LOG.warn("Cannot remove left-over temporary file {}: {}", p, FileErrors.reason(e));
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot look for left-over temporary files in {}: {}", dir, FileErrors.reason(e));
        }
    }
}
