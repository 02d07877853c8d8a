package org.infrakit.instance.file.impl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.infrakit.spi.PluginException;
import org.infrakit.testsupport.GoldenVectors;

/** Helpers shared by the tests: the golden instance file, directory snapshots, plugin makers. */
final class TestFiles {
    /** The ID of the golden instance file. */
    static final String GOLDEN_ID = "instance-4582464082013813178";
    static final long GOLDEN_NUMBER = 4582464082013813178L;

    private TestFiles() {
    }

    /** @return the exact bytes of {@code golden/files/instance-4582464082013813178} */
    static String goldenFile() throws IOException {
        return Files.readString(GoldenVectors.dir().resolve("files").resolve(GOLDEN_ID), StandardCharsets.UTF_8);
    }

    /** @return a random source whose every long is {@code value} */
    static Random pinned(long value) {
        return new Random() {
            private static final long serialVersionUID = 1L;

            @Override
            public long nextLong() {
                return value;
            }
        };
    }

    static FileInstancePlugin plugin(Path dir, FileInstancePlugin.CacheMode mode) throws PluginException {
        return new FileInstancePlugin("instance-file", dir, Clock.systemUTC(), new Random(), mode);
    }

    /**
     * A hand-written instance file, in the reference's format.
     *
     * @param dir where
     * @param id its name and ID
     * @param tags its tags
     */
    static Path handWritten(Path dir, String id, Map<String, String> tags) throws IOException {
        return handWritten(dir, id, id, tags);
    }

    /** A hand-written instance file under a name other than its ID. */
    static Path handWritten(Path dir, String fileName, String id, Map<String, String> tags) throws IOException {
        InstanceFile f = new InstanceFile(id, null, new TreeMap<>(tags), null, InstanceFile.ZERO_SPEC);
        return Files.write(dir.resolve(fileName), f.encode());
    }

    /** Moves a file's mtime into the past, as if it had been written a while ago. */
    static void age(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    }

    /** @return every entry under the directory: relative path to content (or {@code <dir>}) and mtime */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(dir)) {
            return out;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String key = dir.relativize(p).toString();
                String value = Files.isDirectory(p) ? "<dir>" : Files.readString(p, StandardCharsets.ISO_8859_1);
                out.put(key, value + " @" + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return out;
    }
}
