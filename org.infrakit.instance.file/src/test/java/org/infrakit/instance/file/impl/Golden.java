package org.infrakit.instance.file.impl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

import org.infrakit.rpc.json.ProtocolJson;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/** The golden wire vectors of the spec ({@code docs/golden} of the repository, or {@code -Dgolden.dir}). */
final class Golden {
    private Golden() {
    }

    /** One request/response pair. */
    record Vector(String stem, String method, String params, String response) {
        /** @return the exact text of the response's {@code result}, or {@code null} for an error */
        String result() throws IOException {
            return response.contains("\"result\":") ? rawMember(response, "result") : null;
        }

        /** @return the request's {@code Type} member */
        String type() throws IOException {
            return ProtocolJson.mapper().readTree(params).path("Type").asText();
        }

        /** @return the response line the vector expects for a result */
        static String resultLine(String resultJson) {
            return "{\"jsonrpc\":\"2.0\",\"result\":" + resultJson + ",\"id\":1}\n";
        }

        /** @return the response line the vector expects for a plugin error (-32000) */
        static String errorLine(String message) {
            return "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":" + ProtocolJson.write(message)
                    + ",\"data\":null},\"id\":1}\n";
        }
    }

    static Path dir() {
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
        throw new IllegalStateException("golden vectors not found: no docs/golden in " + Paths.get("").toAbsolutePath() + " or above");
    }

    /** @param prefix e.g. {@code flavor.} @return the vectors whose file names start with it */
    static List<Vector> vectors(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir())) {
            List<Path> requests = files.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(".request.json")).sorted().toList();
            List<Vector> out = new java.util.ArrayList<>();
            for (Path request : requests) {
                String stem = request.getFileName().toString().replace(".request.json", "");
                String body = Files.readString(request, StandardCharsets.UTF_8);
                String response = Files.readString(request.resolveSibling(stem + ".response.json"),
                        StandardCharsets.UTF_8);
                String method = ProtocolJson.mapper().readTree(body).get("method").asText();
                out.add(new Vector(stem, method, rawMember(body, "params"), response));
            }
            return out;
        }
    }

    /** The exact text of a top-level member of a JSON object, as written in the file. */
    static String rawMember(String json, String member) throws IOException {
        try (JsonParser parser = ProtocolJson.factory().createParser(json)) {
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
