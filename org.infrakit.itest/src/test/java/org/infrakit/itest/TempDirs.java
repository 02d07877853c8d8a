package org.infrakit.itest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Short temporary directories under {@code /tmp} (a unix socket path must fit in about 108
 * bytes), removed when the test JVM exits: a Pax Exam test class runs inside the framework, where
 * there is no {@code @AfterClass}.
 */
final class TempDirs {
    private static final List<Path> CREATED = new CopyOnWriteArrayList<>();

    static {
        Thread cleaner = new Thread(() -> CREATED.forEach(TempDirs::deleteTree), "itest-temp-cleaner");
        Runtime.getRuntime().addShutdownHook(cleaner);
    }

    private TempDirs() {
    }

    /**
     * @param prefix a short prefix
     * @return a new, empty directory such as {@code /tmp/ik-bridge-123456}
     */
    static Path create(String prefix) {
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "ik-" + prefix + "-");
            CREATED.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param dir a directory @return the names in it, sorted; empty when it does not exist */
    static List<String> names(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes everything inside a directory, keeping the directory. */
    static void clear(Path dir) {
        for (String name : names(dir)) {
            deleteTree(dir.resolve(name));
        }
    }

    /** Removes a file or a directory tree; missing is fine. */
    static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
