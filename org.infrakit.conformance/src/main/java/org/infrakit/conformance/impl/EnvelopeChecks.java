package org.infrakit.conformance.impl;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON-RPC envelope, the error codes and the HTTP rules, with the envelope and HTTP vectors.
 * The vectors call {@code Group.InspectGroups}; on a plugin that is not a group plugin the same
 * requests call {@code Handshake.Implements}, and a successful reply is expected to carry what a
 * plain call of that method answers.
 */
final class EnvelopeChecks {
    private static final String VECTOR_METHOD = "Group.InspectGroups";
    private static final List<String> ANY_PLUGIN = List.of("unknown-method", "ill-formed-method", "wrong-version",
            "missing-version", "notification", "null-id", "batch", "malformed", "string-id", "big-id", "no-params");
    /** These call Group.FreeGroup with an ID that is not managed. */
    private static final List<String> GROUP_ONLY = List.of("params-array", "case-insensitive-params",
            "params-type-error");

    private EnvelopeChecks() {
    }

    static void run(Session s, boolean group) {
        // the carrier: a method without side effects that the plugin answers
        String method = null;
        JsonNode plain = null;
        String why = null;
        for (String m : group ? List.of(VECTOR_METHOD) : List.of("Handshake.Implements", "Plugin.Implements")) {
            try {
                plain = s.result(m, Map.of());
                method = m;
                break;
            } catch (Failure | IOException | RuntimeException e) {
                why = "a plain call of " + m + " fails, so no reply can be compared with it: " + e.getMessage();
            }
        }
        if (method == null) {
            s.skip("envelope", why);
            return;
        }
        String carrier = method;
        JsonNode answer = plain;
        UnaryOperator<String> edit = b -> b.replace("\"" + VECTOR_METHOD + "\"", "\"" + carrier + "\"")
                .replace("\"nosuch\"", "\"" + s.runId + "\"");
        UnaryOperator<JsonNode> result = expected -> withResult(expected, answer);
        for (String stem : ANY_PLUGIN) {
            s.vector("envelope." + stem, "envelope." + stem, edit, result);
        }
        if (group) {
            for (String stem : GROUP_ONLY) {
                s.vector("envelope." + stem, "envelope." + stem, edit);
            }
        }
        String request = edit.apply(Vectors.request("http.no-content-type"));
        http(s, "http.get-root", () -> s.wire.raw("GET", "/", null, null), Compare.Mode.STATUS, b -> b);
        http(s, "http.wrong-content-type", () -> s.wire.raw("POST", "/", "text/plain", request), Compare.Mode.STATUS,
                b -> b);
        http(s, "http.unknown-path", () -> s.wire.raw("POST", "/rpc", "application/json", request),
                Compare.Mode.STATUS, b -> b);
        http(s, "http.no-content-type", () -> s.wire.raw("POST", "/", null, request), Compare.Mode.JSON,
                b -> withResult(Compare.parse(b, "http.no-content-type"), answer).toString());
    }

    private interface Exchange {
        Wire.Reply send() throws java.io.IOException;
    }

    private static void http(Session s, String stem, Exchange exchange, Compare.Mode mode, UnaryOperator<String> edit) {
        s.check(stem, () -> {
            Compare.Expected e = Vectors.response(stem, s.profile());
            Compare.reply(mode, new Compare.Expected(e.status(), edit.apply(e.body())), exchange.send());
        });
    }

    /** @return the expected envelope(s) with each {@code result} replaced by the plain call's */
    private static JsonNode withResult(JsonNode expected, JsonNode plain) {
        if (expected.isArray()) {
            expected.forEach(e -> withResult(e, plain));
        } else if (expected.has("result")) {
            ((ObjectNode) expected).set("result", plain);
        }
        return expected;
    }
}
