package org.infrakit.conformance.impl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one place where a reply is compared with what a vector expects, per compare mode (the
 * golden README's modes, as a checker of plugins in any language applies them; its "set" mode is
 * {@link #sorted}, used for the handshake's list of interfaces):
 * <ul>
 * <li>{@link Mode#JSON} ("exact"): the same JSON value: members, values and array order; member
 * order and white space are the server's own. An expected JSON-RPC error matches an error with
 * the same {@code code} and {@code id} and a non-empty {@code message}: messages (and
 * {@code data}) are for humans and differ between implementations. An expected empty body
 * matches only an empty body.
 * <li>{@link Mode#STATUS} ("status+body"): the HTTP status; the plain-text body is for humans.
 * </ul>
 */
final class Compare {
    static final ObjectMapper JSON = new ObjectMapper();

    /** How a reply is compared. */
    enum Mode {
        JSON, STATUS
    }

    /** What a vector expects: the HTTP status and the body ({@code ""}: an empty body). */
    record Expected(int status, String body) {
    }

    private Compare() {
    }

    /** @throws Failure when the reply does not match */
    static void reply(Mode mode, Expected expected, Wire.Reply actual) throws Failure {
        if (actual.status() != expected.status()) {
            throw new Failure("HTTP " + expected.status() + (mode == Mode.STATUS ? "" : " " + shown(expected.body())),
                    "HTTP " + actual.status() + " " + shown(actual.body()));
        }
        if (mode == Mode.STATUS) {
            return;
        }
        if (expected.body().isBlank() || actual.body().isBlank()) {
            if (!expected.body().isBlank() || !actual.body().isBlank()) {
                throw new Failure(shown(expected.body()), shown(actual.body()));
            }
            return;
        }
        JsonNode want = parse(expected.body(), "the vector");
        JsonNode got;
        try {
            got = JSON.readTree(actual.body());
        } catch (JsonProcessingException e) {
            throw new Failure(shown(expected.body()), "not JSON: " + shown(actual.body()));
        }
        if (!matches(want, got)) {
            throw new Failure(shown(expected.body()), shown(actual.body()));
        }
    }

    /** @return whether a JSON value matches another as {@link Mode#JSON} says */
    static boolean matches(JsonNode want, JsonNode got) {
        if (want.isArray() && got.isArray() && want.size() > 0 && want.get(0).has("jsonrpc")) {
            // a batch: the answers in order, each an envelope
            if (want.size() != got.size()) {
                return false;
            }
            for (int i = 0; i < want.size(); i++) {
                if (!matches(want.get(i), got.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (want.path("error").isObject()) {
            JsonNode e = got.path("error");
            return e.isObject() && e.path("code").equals(want.path("error").path("code"))
                    && e.path("message").isTextual() && !e.path("message").asText().isEmpty()
                    && got.path("id").equals(want.path("id")) && got.path("result").isMissingNode();
        }
        return want.equals(got);
    }

    /** @return the value with every array's elements sorted by their text */
    static JsonNode sorted(JsonNode node) {
        if (node.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            node.forEach(n -> items.add(sorted(n)));
            items.sort(Comparator.comparing(JsonNode::toString));
            ArrayNode out = JSON.createArrayNode();
            items.forEach(out::add);
            return out;
        }
        if (node.isObject()) {
            ObjectNode out = JSON.createObjectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.set(e.getKey(), sorted(e.getValue()));
            }
            return out;
        }
        return node;
    }

    static JsonNode parse(String json, String what) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(what + " is not JSON: " + excerpt(json), e);
        }
    }

    /** @return the body as shown in a report: trimmed, on one line, at most 300 characters */
    static String shown(String body) {
        return body.isBlank() ? "an empty body" : excerpt(body);
    }

    static String excerpt(String text) {
        String t = text.strip().replace("\n", "\\n");
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }
}
