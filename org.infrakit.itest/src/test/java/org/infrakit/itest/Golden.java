package org.infrakit.itest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The golden vectors of the wire spec (system property {@code golden.dir}; its README.md gives
 * each vector's target, precondition and compare mode).
 */
final class Golden {
    private static final String REQUEST = ".request.json";

    private Golden() {
    }

    /** @return the golden directory */
    static Path dir() {
        String dir = System.getProperty("golden.dir");
        if (dir == null) {
            throw new IllegalStateException("system property golden.dir is not set (run the tests through Maven failsafe)");
        }
        Path path = Path.of(dir);
        if (!Files.isDirectory(path)) {
            throw new IllegalStateException("golden.dir " + path + " is not a directory");
        }
        return path;
    }

    /** @param prefix e.g. {@code instance.} @return the stems of the request vectors with that prefix, sorted */
    static List<String> stems(String prefix) {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(f -> f.startsWith(prefix) && f.endsWith(REQUEST))
                    .map(f -> f.substring(0, f.length() - REQUEST.length()))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the request body of a vector */
    static String request(String stem) {
        return read(stem + REQUEST);
    }

    /** @return the expected response body of a vector */
    static String response(String stem) {
        return read(stem + ".response.json");
    }

    /** @param name a path inside the golden directory @return its text */
    static String read(String name) {
        try {
            return Files.readString(dir().resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
