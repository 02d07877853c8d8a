package org.infrakit.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The golden wire vectors of the protocol: {@code <stem>.request.json} and
 * {@code <stem>.response.json} in the directory named by the system property {@code golden.dir}
 * (the root pom passes {@code docs/golden}), else {@code docs/golden} found up from the working
 * directory. Its README.md gives each vector's target, precondition and compare mode.
 */
public final class GoldenVectors {
    private static final String REQUEST = ".request.json";
    private static final String RESPONSE = ".response.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private GoldenVectors() {
    }

    /**
     * One request/response pair.
     *
     * @param stem the file name without {@code .request.json}
     * @param method the request's method
     * @param params the exact text of the request's {@code params}
     * @param response the exact text of the response file
     */
    public record Vector(String stem, String method, String params, String response) {
        /** @return the exact text of the response's {@code result}, or {@code null} for an error */
        public String result() throws IOException {
            return response.contains("\"result\":") ? rawMember(response, "result") : null;
        }

        /** @return the request's {@code Type} member */
        public String type() throws IOException {
            return JSON.readTree(params).path("Type").asText();
        }

        /** @param resultJson a result @return the response line the vector expects for it */
        public static String resultLine(String resultJson) {
            return "{\"jsonrpc\":\"2.0\",\"result\":" + resultJson + ",\"id\":1}\n";
        }

        /** @param message an error message @return the response line the vector expects for a plugin error (-32000) */
        public static String errorLine(String message) {
            try {
                return "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":" + JSON.writeValueAsString(message)
                        + ",\"data\":null},\"id\":1}\n";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** @return the golden directory */
    public static Path dir() {
        String prop = System.getProperty("golden.dir");
        if (prop != null && Files.isDirectory(Paths.get(prop))) {
            return Paths.get(prop);
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("docs/golden");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("golden vectors not found: golden.dir is " + (prop == null ? "not set" : prop)
                + " and there is no docs/golden in " + Paths.get("").toAbsolutePath() + " or above");
    }

    /** @param name a path inside the golden directory @return its text */
    public static String read(String name) {
        try {
            return Files.readString(dir().resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param prefix e.g. {@code instance.} @return the stems of the request vectors with that prefix, sorted */
    public static List<String> stems(String prefix) {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(f -> f.startsWith(prefix) && f.endsWith(REQUEST))
                    .map(f -> f.substring(0, f.length() - REQUEST.length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param stem a vector @return its request body */
    public static String request(String stem) {
        return read(stem + REQUEST);
    }

    /** @param stem a vector @return its expected response body */
    public static String response(String stem) {
        return read(stem + RESPONSE);
    }

    /** @param prefix e.g. {@code flavor.} @return the vectors whose file names start with it, sorted */
    public static List<Vector> vectors(String prefix) throws IOException {
        List<Vector> out = new ArrayList<>();
        for (String stem : stems(prefix)) {
            String body = request(stem);
            out.add(new Vector(stem, JSON.readTree(body).get("method").asText(), rawMember(body, "params"),
                    response(stem)));
        }
        return out;
    }

    /**
     * @param json a JSON object
     * @param member a top-level member
     * @return the member's value exactly as written in the text
     * @throws IOException when the text is not JSON
     */
    public static String rawMember(String json, String member) throws IOException {
        try (JsonParser parser = JSON.getFactory().createParser(json)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (name.equals(member)) {
                    int start = (int) parser.currentTokenLocation().getCharOffset();
                    parser.skipChildren();
                    int end = (int) parser.currentLocation().getCharOffset();
                    return json.substring(start, end);
                }
                parser.skipChildren();
            }
        }
        throw new IllegalArgumentException("no member " + member);
    }
}
