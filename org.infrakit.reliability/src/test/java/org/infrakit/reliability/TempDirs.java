package org.infrakit.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Short temporary directories: a unix socket path must stay under about 108 bytes. */
final class TempDirs {
    private TempDirs() {
    }

    /** @return a new empty directory {@code /tmp/ikr...}, mode 0700 */
    static Path create() {
        try {
            return Files.createTempDirectory(Path.of("/tmp"), "ikr");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param dir removed with everything in it; missing is fine */
    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
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
}
