package org.infrakit.reliability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** What a valid answer of a plugin socket is (wire.md, departures D2), checked strictly. */
final class Replies {
    /** A plain strict reader, independent of the runtime's codec. */
    static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;
    static final int APPLICATION_ERROR = -32000;
    static final Set<Integer> CODES = Set.of(PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS,
            INTERNAL_ERROR, APPLICATION_ERROR);

    private Replies() {
    }

    /**
     * Checks the HTTP side of a JSON-RPC answer and every response object in it.
     *
     * @param r the reply
     * @param emptyAllowed whether an empty body (only notifications sent) is acceptable
     * @return the response objects: one, or the elements of a batch answer; none for an empty body
     */
    static List<JsonNode> check(Http.Reply r, boolean emptyAllowed) {
        if (r.status() != 200) {
            throw new AssertionError("expected HTTP 200 for a JSON-RPC request, got " + r);
        }
        String type = r.headers().get("content-type");
        if (type == null || !type.startsWith("application/json")) {
            throw new AssertionError("expected Content-Type application/json, got " + r);
        }
        if (r.body().length == 0) {
            if (!emptyAllowed) {
                throw new AssertionError("expected a JSON-RPC answer, got an empty body");
            }
            return List.of();
        }
        utf8(r.body());
        if (r.body()[r.body().length - 1] != '\n') {
            throw new AssertionError("the answer must end with a newline: " + r);
        }
        JsonNode root;
        try {
            root = STRICT.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("the answer is not JSON (" + e.getMessage() + "): " + r);
        }
        List<JsonNode> out = new ArrayList<>();
        if (root.isArray()) {
            if (root.isEmpty()) {
                throw new AssertionError("a batch answer is never an empty array: " + r);
            }
            root.forEach(out::add);
        } else {
            out.add(root);
        }
        for (JsonNode n : out) {
            response(n, r);
        }
        return out;
    }

    /** @return the one response object of the reply */
    static JsonNode single(Http.Reply r) {
        List<JsonNode> all = check(r, false);
        if (all.size() != 1 || !r.text().startsWith("{")) {
            throw new AssertionError("expected one response object, got " + r);
        }
        return all.get(0);
    }

    /** @return the error object of the reply's one response, which must be an error */
    static JsonNode error(Http.Reply r) {
        JsonNode n = single(r);
        if (!n.has("error")) {
            throw new AssertionError("expected a JSON-RPC error, got " + r);
        }
        return n.get("error");
    }

    /** @return the error code of the reply's one response, which must be an error */
    static int code(Http.Reply r) {
        return error(r).get("code").intValue();
    }

    /**
     * A good request still answers on the socket.
     *
     * @param socket a plugin socket
     */
    static void assertServes(java.nio.file.Path socket) {
        Http.Reply r;
        try {
            r = Http.send(socket, Http.post("{\"jsonrpc\":\"2.0\",\"method\":\"Plugin.Implements\",\"params\":{},\"id\":7}"));
        } catch (IOException e) {
            throw new AssertionError("socket " + socket + " does not answer: " + e, e);
        }
        JsonNode n = single(r);
        if (!n.path("result").path("Interfaces").isArray() || n.get("id").intValue() != 7) {
            throw new AssertionError(socket + " does not answer Plugin.Implements: " + r);
        }
    }

    private static void response(JsonNode n, Http.Reply r) {
        if (!n.isObject()) {
            throw new AssertionError("a response must be an object: " + r);
        }
        n.fieldNames().forEachRemaining(f -> {
            if (!Set.of("jsonrpc", "result", "error", "id").contains(f)) {
                throw new AssertionError("unexpected member '" + f + "' in " + r);
            }
        });
        if (!"2.0".equals(n.path("jsonrpc").textValue())) {
            throw new AssertionError("jsonrpc must be \"2.0\": " + r);
        }
        if (!n.has("id")) {
            throw new AssertionError("a response must carry an id (null included): " + r);
        }
        boolean result = n.has("result");
        boolean error = n.has("error") && !n.get("error").isNull();
        if (result == error) {
            throw new AssertionError("a response has exactly one of result and error: " + r);
        }
        if (error) {
            JsonNode e = n.get("error");
            if (!e.isObject() || !e.path("code").isInt() || !e.path("message").isTextual()) {
                throw new AssertionError("an error is {code, message, data}: " + r);
            }
            if (!CODES.contains(e.get("code").intValue())) {
                throw new AssertionError("unknown error code " + e.get("code") + ": " + r);
            }
            String message = e.get("message").textValue();
            if (message.isBlank() || message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0) {
                throw new AssertionError("an error message is one non-empty line: " + r);
            }
            if (e.get("code").intValue() == PARSE_ERROR && !n.get("id").isNull()
                    && !message.startsWith("parse error")) {
                throw new AssertionError("a parse error of the whole body has a null id: " + r);
            }
        }
    }

    private static void utf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
        } catch (CharacterCodingException e) {
            throw new AssertionError("the answer is not valid UTF-8");
        }
    }
}
