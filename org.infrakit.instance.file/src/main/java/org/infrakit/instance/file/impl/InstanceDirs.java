package org.infrakit.instance.file.impl;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;

import org.infrakit.spi.InfrakitPaths;
import org.infrakit.spi.PluginException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where instance files live, and getting that directory ready. */
final class InstanceDirs {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceDirs.class);

    /** Temporary files older than this are left over from a crash and removed at start. */
    private static final long STALE_TEMPORARY_MILLIS = 60_000;

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
     * missing, proves it writable by creating and removing a file in it, and removes temporary
     * files a crash left behind.
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
                p -> AtomicFiles.isTemporary(p.getFileName().toString()))) {
            for (Path p : entries) {
                try {
                    if (Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis() < cutoff) {
                        Files.delete(p);
                        LOG.info("Removed {}, left over from an interrupted write", p);
                    }
                } catch (IOException e) {
                    LOG.warn("Cannot remove left-over temporary file {}: {}", p, FileErrors.reason(e));
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot look for left-over temporary files in {}: {}", dir, FileErrors.reason(e));
        }
    }
}
