package org.infrakit.instance.file.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which temporary files a start removes: only regular files named as {@link AtomicFiles} names
 * its temporaries, and only once they are older than {@link InstanceDirs#STALE_TEMPORARY_MILLIS}.
 */
class InstanceDirsTest {
    /** The clock of every start in these tests. */
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final long OLD = NOW.toEpochMilli() - InstanceDirs.STALE_TEMPORARY_MILLIS - 1;

    @TempDir
    Path dir;

    /** A temporary file as a write cut short leaves it, last modified at {@code millis}. */
    private Path temporary(String target, long millis) throws IOException {
        Path p = AtomicFiles.temporary(dir, target);
        AtomicFiles.create(p, "{\"ID\":".getBytes(), false);
        return touch(p, millis);
    }

    private static Path touch(Path p, long millis) throws IOException {
        Files.setLastModifiedTime(p, FileTime.fromMillis(millis));
        return p;
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aTemporaryFileOlderThanTheLimitIsRemovedAYoungerOneKept() throws Exception {
        Path old = temporary("instance-1", OLD);
        Path atTheLimit = temporary("instance-2", NOW.toEpochMilli() - InstanceDirs.STALE_TEMPORARY_MILLIS);
        Path fresh = temporary("instance-3", NOW.toEpochMilli());
        Path future = temporary("instance-4", NOW.toEpochMilli() + 3_600_000);

        InstanceDirs.prepare(dir, CLOCK);

        assertThat(old).doesNotExist();
        assertThat(atTheLimit).as("not older than the limit").exists();
        assertThat(fresh).exists();
        assertThat(future).as("a clock ahead of ours says nothing about its writer").exists();
    }

    @Test
    void theProbeOfAStartIsATemporaryFileItself() throws Exception {
        Path probe = temporary("probe", OLD);

        InstanceDirs.prepare(dir, CLOCK);

        assertThat(probe).doesNotExist();
        assertThat(names()).as("the start's own probe is gone too").isEmpty();
    }

    @Test
    void nothingButOurOwnTemporaryFilesIsRemovedHoweverOld() throws Exception {
        // entries whose names are not exactly .<target>.<hex>.infrakit-tmp
        for (String name : List.of("instance-1", ".hidden", AtomicFiles.TMP_SUFFIX,
                ".x" + AtomicFiles.TMP_SUFFIX, ".x.not-hex" + AtomicFiles.TMP_SUFFIX,
                "x.0123abcd" + AtomicFiles.TMP_SUFFIX, ".x.0123abcd" + AtomicFiles.TMP_SUFFIX + ".bak",
                ".x.0123456789abcdef0" + AtomicFiles.TMP_SUFFIX, ".x.0123ABCD" + AtomicFiles.TMP_SUFFIX)) {
            touch(Files.writeString(dir.resolve(name), "{}"), OLD);
        }
        // named like ours, but never what a write creates: a directory, a link (and what it points to)
        Path directory = touch(Files.createDirectory(AtomicFiles.temporary(dir, "d")), OLD);
        Path target = touch(Files.writeString(dir.resolve("linked"), "{}"), OLD);
        Path link = Files.createSymbolicLink(AtomicFiles.temporary(dir, "l"), target.getFileName());
        Files.setAttribute(link, "lastModifiedTime", FileTime.fromMillis(OLD), LinkOption.NOFOLLOW_LINKS);
        List<String> before = names();
        assertThat(before).hasSize(12);

        InstanceDirs.prepare(dir, CLOCK);

        assertThat(names()).isEqualTo(before);
        assertThat(directory).isDirectory();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(target).hasContent("{}");
    }
}
