package org.infrakit.rpc.impl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.infrakit.testsupport.GoldenVectors;

/** Short temporary directories (a unix socket path is limited to about 108 bytes) and the golden vectors. */
public final class TestDirs {
    private TestDirs() {
    }

    /** @return a new empty directory under /tmp with a short name */
    public static Path shortTempDir() {
        try {
            return Files.createTempDirectory(Path.of("/tmp"), "ik");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param dir a directory to remove with everything in it; missing is fine */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }

    /** @return the golden vectors directory of the wire spec */
    public static Path goldenDir() {
        return GoldenVectors.dir();
    }
}
