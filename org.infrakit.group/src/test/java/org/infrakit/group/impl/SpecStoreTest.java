package org.infrakit.group.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.RawJson;
import org.infrakit.rpc.json.ProtocolJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecStoreTest {
    @TempDir
    Path tmp;

    private List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void savesLoadsReplacesAndDeletes() throws IOException {
        SpecStore store = new SpecStore(tmp.resolve("groups"));
        assertThat(store.load()).isEmpty();
        GroupSpec a = new GroupSpec("workers", RawJson.of("{\"Allocation\":{\"Size\":1}}"));
        store.save(a);
        store.save(new GroupSpec("workers", RawJson.of("{\"Allocation\":{\"Size\":2}}")));
        store.save(new GroupSpec("other", null));

        assertThat(files(store.dir())).containsExactly("other.json", "workers.json");
        assertThat(Files.readString(store.dir().resolve("workers.json")))
                .isEqualTo("{\"ID\":\"workers\",\"Properties\":{\"Allocation\":{\"Size\":2}}}");
        assertThat(new SpecStore(store.dir()).load()).extracting(SpecStore.Stored::spec).containsExactly(
                new GroupSpec("other", null), new GroupSpec("workers", RawJson.of("{\"Allocation\":{\"Size\":2}}")));

        store.delete("workers");
        store.delete("never-there");
        assertThat(files(store.dir())).containsExactly("other.json");
    }

    @Test
    void theDirectoryIsPrivate() throws IOException {
        SpecStore store = new SpecStore(tmp.resolve("a/b"));
        store.save(new GroupSpec("g", null));
        assertThat(Files.getPosixFilePermissions(store.dir()))
                .containsExactlyInAnyOrderElementsOf(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void fileNamesAreSafeForAnyId() throws IOException {
        SpecStore store = new SpecStore(tmp);
        String longId = "x".repeat(300);
        List<String> ids = List.of("/", "..", ".", "a/../../b", "ümlaut", "with space", longId, "a%2F");
        for (String id : ids) {
            store.save(new GroupSpec(id, null));
        }
        assertThat(SpecStore.fileName("..")).isEqualTo("%2E%2E.json");
        assertThat(SpecStore.fileName("/")).isEqualTo("%2F.json");
        assertThat(SpecStore.fileName(longId)).hasSizeLessThan(140).endsWith(".json");
        assertThat(files(tmp)).hasSize(ids.size()).allMatch(n -> !n.contains("/"));
        assertThat(new SpecStore(tmp).load()).extracting(s -> s.spec().id()).containsExactlyInAnyOrderElementsOf(ids);
        for (String id : ids) {
            store.delete(id);
        }
        assertThat(files(tmp)).isEmpty();
    }

    @Test
    void corruptFilesAreKeptAsideAndTemporaryFilesRemoved() throws IOException {
        SpecStore store = new SpecStore(tmp);
        store.save(new GroupSpec("good", null));
        Files.writeString(tmp.resolve("bad.json"), "{\"ID\":\"bad\",\"Prop", StandardCharsets.UTF_8);
        Files.writeString(tmp.resolve("noid.json"), "{\"Properties\":{}}", StandardCharsets.UTF_8);
        Files.writeString(tmp.resolve(".tmp-123.json"), "{\"ID\":", StandardCharsets.UTF_8);
        Files.writeString(tmp.resolve("notes.txt"), "not mine", StandardCharsets.UTF_8);

        assertThat(store.load()).extracting(s -> s.spec().id()).containsExactly("good");
        assertThat(files(tmp)).hasSize(4).contains("good.json", "notes.txt")
                .anyMatch(n -> n.startsWith("bad.json.corrupt-")).anyMatch(n -> n.startsWith("noid.json.corrupt-"));
        assertThat(store.load()).hasSize(1); // what was put aside is not read again
    }

    @Test
    void pauseMarkersLiveBesideTheSpecsAndLeaveThemUntouched() throws IOException {
        SpecStore store = new SpecStore(tmp);
        GroupSpec g = new GroupSpec("g", RawJson.of("{\"Allocation\":{\"Size\":1}}"));
        store.save(g);
        store.save(new GroupSpec("other", null));
        store.markPaused("g", "first");
        store.markPaused("g", "why");

        assertThat(files(tmp)).containsExactly("g.json", "g.paused", "other.json");
        assertThat(store.markerFor("g")).isEqualTo(tmp.resolve("g.paused"));
        assertThat(Files.readString(tmp.resolve("g.paused"))).isEqualTo("why\n");
        assertThat(Files.readString(tmp.resolve("g.json"))).isEqualTo(ProtocolJson.write(g));
        assertThat(new SpecStore(tmp).load()).extracting(s -> s.spec().id() + " " + s.paused())
                .containsExactly("g true", "other false");

        store.clearPaused("g");
        store.clearPaused("never-paused");
        assertThat(files(tmp)).containsExactly("g.json", "other.json");
        assertThat(new SpecStore(tmp).load()).extracting(SpecStore.Stored::paused).containsExactly(false, false);

        store.markPaused("g", "again");
        store.delete("g");
        assertThat(files(tmp)).containsExactly("other.json");
    }

    @Test
    void aMarkerFollowsTheIdNotTheFileAndStrayOnesAreRemoved() throws IOException {
        SpecStore store = new SpecStore(tmp);
        String longId = "ü".repeat(100);
        store.save(new GroupSpec(longId, null));
        store.markPaused(longId, "why");
        store.save(new GroupSpec("g", null));
        store.markPaused("g", "why");
        Files.move(tmp.resolve("g.json"), tmp.resolve("renamed.json"));
        Files.writeString(tmp.resolve("gone.paused"), "why\n", StandardCharsets.UTF_8);
        Files.writeString(tmp.resolve(".tmp-99.paused"), "wh", StandardCharsets.UTF_8);

        String longName = SpecStore.fileName(longId);
        String longMarker = longName.substring(0, longName.length() - ".json".length()) + ".paused";
        assertThat(store.markerFor(longId)).isEqualTo(tmp.resolve(longMarker));
        SpecStore again = new SpecStore(tmp);
        assertThat(again.load()).extracting(s -> s.spec().id().length() + " " + s.paused())
                .containsExactlyInAnyOrder("1 true", "100 true");
        assertThat(files(tmp)).containsExactlyInAnyOrder(longName, longMarker, "g.paused", "renamed.json");

        again.delete("g");
        again.delete(longId);
        assertThat(files(tmp)).isEmpty();
    }

    @Test
    void aFileRenamedByHandIsStillReplacedAndDeleted() throws IOException {
        SpecStore store = new SpecStore(tmp);
        store.save(new GroupSpec("g", null));
        Files.move(tmp.resolve("g.json"), tmp.resolve("renamed.json"));
        SpecStore again = new SpecStore(tmp);
        assertThat(again.load()).hasSize(1);
        again.save(new GroupSpec("g", RawJson.of("1")));
        assertThat(files(tmp)).containsExactly("g.json");
        again.delete("g");
        assertThat(files(tmp)).isEmpty();
    }
}
