package org.infrakit.conformance.impl;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import org.infrakit.conformance.CheckResult;
import org.infrakit.conformance.Options;
import org.infrakit.conformance.Profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One conformance run against one socket: the calls, the vectors and the results, in order. A check
 * is a named piece of code that either returns (passed) or throws a {@link Failure}; anything else
 * it throws (no answer, a broken connection) fails it too, with what happened.
 */
final class Session implements AutoCloseable {
    /** A check's body. */
    interface Check {
        void run() throws Failure, IOException;
    }

    final String plugin;
    final Options options;
    final Wire wire;
    /** Marks everything this run creates, so that it can be found and removed. */
    final String runId = "conformance-" + UUID.randomUUID().toString().substring(0, 8);
    private final ScheduledExecutorService timer;
    private final List<CheckResult> results = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong(1);

    Session(Path socket, Options options, ScheduledExecutorService timer) {
        this.plugin = socket.getFileName().toString();
        this.options = options;
        this.timer = timer;
        this.wire = new Wire(socket, timer, options.callTimeout().toMillis());
    }

    Profile profile() {
        return options.profile();
    }

    List<CheckResult> results() {
        return List.copyOf(results);
    }

    /** @return a session on another socket of the same plugins directory, sharing nothing but the timer */
    Session sibling(String name) {
        return new Session(wire.socket().resolveSibling(name), options, timer);
    }

    /** Runs a check; returns whether it passed. */
    boolean check(String name, Check body) {
        try {
            body.run();
            results.add(CheckResult.pass(name));
            return true;
        } catch (Failure f) {
            results.add(CheckResult.fail(name, f.expected(), f.actual()));
        } catch (IOException | RuntimeException e) {
            results.add(CheckResult.fail(name, "an answer", "no answer: " + e.getMessage()));
        }
        return false;
    }

    void skip(String name, String why) {
        results.add(CheckResult.skip(name, why));
    }

    /** Replays a golden vector, the request and expected reply both edited (e.g. a group ID replaced). */
    boolean vector(String name, String stem, UnaryOperator<String> edit) {
        return vector(name, stem, edit, UnaryOperator.identity());
    }

    /** As {@link #vector(String, String, UnaryOperator)}, the expected JSON reply also edited as JSON. */
    boolean vector(String name, String stem, UnaryOperator<String> edit, UnaryOperator<JsonNode> expectedEdit) {
        return check(name, () -> {
            Compare.Expected e = Vectors.response(stem, profile());
            String body = edit.apply(e.body());
            if (!body.isBlank()) {
                body = expectedEdit.apply(Compare.parse(body, stem)).toString();
            }
            Compare.reply(Compare.Mode.JSON, new Compare.Expected(e.status(), body),
                    wire.post(edit.apply(Vectors.request(stem))));
        });
    }

    /** @return the reply envelope of a call, parsed */
    JsonNode call(String method, Object params) throws Failure, IOException {
        String body;
        try {
            body = "{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":" + Compare.JSON.writeValueAsString(params)
                    + ",\"id\":" + ids.getAndIncrement() + "}";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        Wire.Reply r = wire.post(body);
        if (r.status() != 200) {
            throw new Failure("HTTP 200 for " + method, "HTTP " + r.status() + " " + Compare.shown(r.body()));
        }
        try {
            return Compare.JSON.readTree(r.body());
        } catch (JsonProcessingException e) {
            throw new Failure("a JSON-RPC reply to " + method, Compare.shown(r.body()));
        }
    }

    /** @return the result of a call that must succeed */
    JsonNode result(String method, Object params) throws Failure, IOException {
        JsonNode reply = call(method, params);
        if (reply.path("error").isObject() || !reply.has("result") || reply.get("result").isNull()) {
            throw new Failure("a result from " + method, Compare.shown(reply.toString()));
        }
        return reply.get("result");
    }

    /** Asserts that a call answers a JSON-RPC error with this code. */
    void error(String method, Object params, int code) throws Failure, IOException {
        JsonNode reply = call(method, params);
        if (reply.path("error").path("code").asInt(0) != code || !reply.path("error").path("message").isTextual()) {
            throw new Failure("error " + code + " from " + method, Compare.shown(reply.toString()));
        }
    }

    /** @return a JSON object of name/value pairs (values may be null) */
    static Map<String, Object> obj(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }

    static void expect(boolean ok, String expected, Object actual) throws Failure {
        if (!ok) {
            throw new Failure(expected, actual instanceof String s ? s : Compare.shown(String.valueOf(actual)));
        }
    }

    @Override
    public void close() {
        wire.close();
    }
}
