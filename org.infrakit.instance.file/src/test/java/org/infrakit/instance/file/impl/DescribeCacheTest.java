package org.infrakit.instance.file.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.infrakit.instance.file.impl.TestFiles.age;
import static org.infrakit.instance.file.impl.TestFiles.handWritten;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import org.infrakit.instance.file.impl.FileInstancePlugin.CacheMode;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.PluginException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * DescribeInstances' cache must answer for the directory as it is: files added, removed, edited or
 * rewritten by hand (same size included) are seen, while unchanged files are not read again.
 *
 * <p>Additions and removals are seen by the very next call in every mode. In {@code WATCH} mode an
 * edit in place is seen once the JDK has delivered the watch event, so those checks poll briefly;
 * in {@code STAT} mode it is seen by the very next call.
 */
class DescribeCacheTest {
    private static final long EVENT_WAIT_MILLIS = 5_000;

    @TempDir
    Path dir;

    private static List<String> ids(FileInstancePlugin p) throws PluginException {
        return p.describeInstances(null, false).stream().map(InstanceDescription::id).toList();
    }

    private static Map<String, String> tagsOf(FileInstancePlugin p, String id) throws PluginException {
        return p.describeInstances(null, false).stream().filter(d -> d.id().equals(id)).findFirst()
                .map(InstanceDescription::tags).orElseThrow();
    }

    /** Calls describe until it lists {@code id} (at once, except in WATCH mode, which waits for the event). */
    static void awaitDescribed(FileInstancePlugin p, String id) throws Exception {
        long deadline = System.currentTimeMillis() + EVENT_WAIT_MILLIS;
        while (!ids(p).contains(id) && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertThat(ids(p)).contains(id);
    }

    /** Calls describe until the tags of {@code id} are {@code expected} (at once, except in WATCH mode). */
    private static void expectTags(FileInstancePlugin p, CacheMode mode, String id, Map<String, String> expected)
            throws Exception {
        long deadline = System.currentTimeMillis() + (mode == CacheMode.WATCH ? EVENT_WAIT_MILLIS : 0);
        while (!tagsOf(p, id).equals(expected) && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertThat(tagsOf(p, id)).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(CacheMode.class)
    void handAddedAndHandDeletedFilesAreSeenByTheVeryNextCall(CacheMode mode) throws Exception {
        try (FileInstancePlugin p = TestFiles.plugin(dir, mode)) {
            age(handWritten(dir, "a", Map.of()));
            assertThat(ids(p)).containsExactly("a");

            age(handWritten(dir, "b", Map.of()));
            assertThat(ids(p)).containsExactly("a", "b");

            Files.delete(dir.resolve("a"));
            assertThat(ids(p)).containsExactly("b");

            Files.delete(dir.resolve("b"));
            assertThat(ids(p)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(CacheMode.class)
    void aFileSwappedForAnotherNameInOneGoIsSeenByTheVeryNextCall(CacheMode mode) throws Exception {
        try (FileInstancePlugin p = TestFiles.plugin(dir, mode)) {
            age(handWritten(dir, "a", Map.of()));
            age(handWritten(dir, "b", Map.of()));
            assertThat(ids(p)).containsExactly("a", "b");

            Files.delete(dir.resolve("a"));
            age(handWritten(dir, "c", Map.of())); // as many files as before, other names
            assertThat(ids(p)).containsExactly("b", "c");
        }
    }

    @ParameterizedTest
    @EnumSource(CacheMode.class)
    void handEditedFilesAreSeen(CacheMode mode) throws Exception {
        try (FileInstancePlugin p = TestFiles.plugin(dir, mode)) {
            age(handWritten(dir, "a", Map.of("v", "1")));
            assertThat(tagsOf(p, "a")).containsExactly(Map.entry("v", "1"));

            handWritten(dir, "a", Map.of("v", "2", "longer", "yes")); // in place, another size
            expectTags(p, mode, "a", Map.of("v", "2", "longer", "yes"));
        }
    }

    @ParameterizedTest
    @EnumSource(CacheMode.class)
    void sameSizeRewritesAreSeen(CacheMode mode) throws Exception {
        try (FileInstancePlugin p = TestFiles.plugin(dir, mode)) {
            Path a = handWritten(dir, "a", Map.of("v", "1"));
            age(a);
            long size = Files.size(a);
            assertThat(tagsOf(p, "a")).containsExactly(Map.entry("v", "1"));

            handWritten(dir, "a", Map.of("v", "2"));
            assertThat(Files.size(a)).isEqualTo(size);
            expectTags(p, mode, "a", Map.of("v", "2"));
        }
    }

    /**
     * The mtime-granularity guard: a same-size rewrite in the same timestamp tick as the read
     * (simulated by putting the old mtime back) is still seen, because a file read within 2 s of
     * its mtime is not trusted from its attributes.
     */
    @ParameterizedTest
    @EnumSource(CacheMode.class)
    void sameSizeRewritesWithinOneMtimeTickAreSeen(CacheMode mode) throws Exception {
        try (FileInstancePlugin p = TestFiles.plugin(dir, mode)) {
            Path a = handWritten(dir, "a", Map.of("v", "1"));
            FileTime mtime = Files.getLastModifiedTime(a);
            assertThat(tagsOf(p, "a")).containsExactly(Map.entry("v", "1"));

            handWritten(dir, "a", Map.of("v", "2"));
            Files.setLastModifiedTime(a, mtime);
            expectTags(p, mode, "a", Map.of("v", "2"));
        }
    }

    @ParameterizedTest
    @EnumSource(CacheMode.class)
    void filesReplacedByRenameAreSeenEvenWithSizeAndMtimeKept(CacheMode mode) throws Exception {
        try (FileInstancePlugin p = TestFiles.plugin(dir, mode)) {
            Path a = handWritten(dir, "a", Map.of("v", "1"));
            age(a);
            FileTime mtime = Files.getLastModifiedTime(a);
            assertThat(tagsOf(p, "a")).containsExactly(Map.entry("v", "1"));

            Path replacement = handWritten(dir, "a.new", "a", Map.of("v", "2"));
            Files.setLastModifiedTime(replacement, mtime);
            Files.move(replacement, a, StandardCopyOption.ATOMIC_MOVE); // a new inode under the old name
            expectTags(p, mode, "a", Map.of("v", "2"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = CacheMode.class, names = {"WATCH", "STAT"})
    void unchangedFilesAreNotReadAgain(CacheMode mode) throws Exception {
        for (int i = 0; i < 50; i++) {
            age(handWritten(dir, "instance-" + i, Map.of("g", i % 2 == 0 ? "even" : "odd")));
        }
        try (FileInstancePlugin p = TestFiles.plugin(dir, mode)) {
            assertThat(p.cacheMode()).isEqualTo(mode);
            assertThat(p.describeInstances(Map.of("g", "even"), false)).hasSize(25);
            long reads = p.fileReads();
            assertThat(reads).isEqualTo(50);

            for (int call = 0; call < 5; call++) {
                assertThat(p.describeInstances(Map.of("g", "odd"), call % 2 == 0)).hasSize(25);
            }
            assertThat(p.fileReads()).isEqualTo(reads);

            // one file changes: only it is read again
            age(handWritten(dir, "instance-7", Map.of("g", "even")));
            expectTags(p, mode, "instance-7", Map.of("g", "even"));
            assertThat(p.describeInstances(Map.of("g", "even"), false)).hasSize(26);
            assertThat(p.fileReads() - reads).isBetween(1L, 3L);
        }
    }

    @ParameterizedTest
    @EnumSource(value = CacheMode.class, names = {"WATCH", "STAT"})
    void repeatedQueriesOnAnUnchangedDirectoryShareOneAnswer(CacheMode mode) throws Exception {
        age(handWritten(dir, "a", Map.of("g", "1")));
        age(handWritten(dir, "b", Map.of("g", "2")));
        try (FileInstancePlugin p = TestFiles.plugin(dir, mode)) {
            List<InstanceDescription> first = p.describeInstances(Map.of("g", "1"), true);
            assertThat(p.describeInstances(Map.of("g", "1"), true)).isSameAs(first);
            assertThat(p.describeInstances(Map.of("g", "1"), false)).isNotSameAs(first).hasSize(1);
            assertThat(p.describeInstances(Map.of("g", "2"), true)).isNotSameAs(first);

            age(handWritten(dir, "c", Map.of("g", "1")));
            assertThat(p.describeInstances(Map.of("g", "1"), true)).isNotSameAs(first).hasSize(2);
        }
    }

    @Test
    void withoutACacheEveryCallReadsEveryFile() throws Exception {
        for (int i = 0; i < 10; i++) {
            age(handWritten(dir, "instance-" + i, Map.of()));
        }
        try (FileInstancePlugin p = TestFiles.plugin(dir, CacheMode.NONE)) {
            p.describeInstances(null, false);
            p.describeInstances(null, false);
            assertThat(p.fileReads()).isEqualTo(20);
        }
    }

    @Test
    void recentlyWrittenFilesAreReadAgainUntilTheirMtimeIsSafelyPast() throws Exception {
        handWritten(dir, "a", Map.of()); // mtime: now
        try (FileInstancePlugin p = TestFiles.plugin(dir, CacheMode.STAT)) {
            p.describeInstances(null, false);
            p.describeInstances(null, false);
            assertThat(p.fileReads()).isEqualTo(2);
            age(dir.resolve("a")); // the mtime changed, so it is read once more, then trusted
            p.describeInstances(null, false);
            p.describeInstances(null, false);
            assertThat(p.fileReads()).isEqualTo(3);
        }
    }

    @Test
    void ownLabelsAreSeenByTheVeryNextCallInWatchMode() throws Exception {
        try (FileInstancePlugin p = TestFiles.plugin(dir, CacheMode.WATCH)) {
            age(handWritten(dir, "a", Map.of("v", "1")));
            for (int i = 0; i < 20; i++) {
                assertThat(tagsOf(p, "a")).containsEntry("v", String.valueOf(i + 1));
                p.label("a", Map.of("v", String.valueOf(i + 2)));
            }
        }
    }

    /**
     * An edit through a hard link in another directory produces no event in the watched one (the
     * documented limit of WATCH mode); {@code invalidate}, which Label and Destroy use for their
     * own writes, makes the very next call read the file regardless of events.
     */
    @Test
    void invalidatedEntriesAreReadAgainByTheVeryNextCall() throws Exception {
        Path watched = Files.createDirectory(dir.resolve("watched"));
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path a = handWritten(watched, "a", Map.of("v", "1"));
        age(a);
        Path link = Files.createLink(elsewhere.resolve("a"), a);
        try (InstanceIndex index = new InstanceIndex(watched, java.time.Clock.systemUTC(), CacheMode.WATCH)) {
            assertThat(index.entries()).singleElement().satisfies(e -> assertThat(e.file.tags()).containsEntry("v", "1"));

            handWritten(elsewhere, "a", Map.of("v", "2")); // same inode, written in place through the link
            assertThat(Files.readString(a)).isEqualTo(Files.readString(link));
            Thread.sleep(50);
            assertThat(index.entries()).singleElement().satisfies(e -> assertThat(e.file.tags()).containsEntry("v", "1"));

            index.invalidate("a");
            assertThat(index.entries()).singleElement().satisfies(e -> assertThat(e.file.tags()).containsEntry("v", "2"));
        }
    }

    @Test
    void aReplacedDirectoryIsReadAfresh() throws Exception {
        try (FileInstancePlugin p = TestFiles.plugin(dir.resolve("d"), CacheMode.WATCH)) {
            age(handWritten(dir.resolve("d"), "a", Map.of("v", "1")));
            assertThat(tagsOf(p, "a")).containsExactly(Map.entry("v", "1"));

            Files.move(dir.resolve("d"), dir.resolve("old"));
            Files.createDirectory(dir.resolve("d"));
            Path a = handWritten(dir.resolve("d"), "a", Map.of("v", "2"));
            Files.setLastModifiedTime(a, Files.getLastModifiedTime(dir.resolve("old").resolve("a")));
            assertThat(tagsOf(p, "a")).containsExactly(Map.entry("v", "2"));
        }
    }
}
