package org.infrakit.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A private temporary directory (mode 0700, short path under {@code /tmp}: unix socket paths are
 * limited to 107 bytes), removed with everything in it when closed.
 */
final class ScratchDir implements AutoCloseable {
    private final Path path;
    /** Removes the directory if the benchmark itself is stopped (Ctrl-C) before it is closed. */
    private final Thread removeOnExit;
    private volatile boolean stopping;

    /**
     * @param prefix the directory name's prefix
     * @throws IOException when it cannot be created
     */
    ScratchDir(String prefix) throws IOException {
        this.path = Files.createTempDirectory(Path.of("/tmp"), prefix,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        this.removeOnExit = new Thread(() -> {
            stopping = true;
            try {
                delete(path);
            } catch (UncheckedIOException e) {
                // best effort while the JVM goes down
            }
        }, "bench-scratch-remove");
        try {
            Runtime.getRuntime().addShutdownHook(removeOnExit);
        } catch (IllegalStateException e) {
            // the benchmark is being stopped
            delete(path);
            throw new IOException("the benchmark is stopping", e);
        }
    }

    /** @return the directory */
    Path path() {
        return path;
    }

    /**
     * @param name a child's name
     * @return the child directory, created (mode 0700) if missing
     * @throws IOException when it cannot be created
     */
    Path dir(String name) throws IOException {
        if (stopping) {
            throw new IOException("the benchmark is stopping");
        }
        Path d = path.resolve(name);
        Files.createDirectories(d);
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
        return d;
    }

    /** Removes the directory and everything in it. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(removeOnExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
        delete(path);
    }

    /**
     * Removes a file tree; what is gone already is fine.
     *
     * @param root the tree
     * @throws UncheckedIOException when something cannot be removed
     */
    static void delete(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) {
                        throw e;
                    }
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root + ": " + e.getMessage(), e);
        }
    }
}
