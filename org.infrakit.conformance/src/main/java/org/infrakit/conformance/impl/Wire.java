package org.infrakit.conformance.impl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;

import org.infrakit.rpc.client.HttpReply;
import org.infrakit.rpc.client.UnixHttpClient;

/**
 * The kit's two ways to talk to a socket, both through the project's socket client: JSON POSTs to
 * {@code /} on pooled connections (bodies compared as they come), and a one-shot exchange for the
 * checks about HTTP itself (other methods, paths and content types).
 */
final class Wire implements AutoCloseable {
    /** An HTTP reply: status and body text. */
    record Reply(int status, String body) {
    }

    private final Path socket;
    private final UnixHttpClient http;
    private final long timeoutMs;

    Wire(Path socket, ScheduledExecutorService timer, long timeoutMs) {
        this.socket = socket;
        this.http = new UnixHttpClient(socket, timer, 2);
        this.timeoutMs = timeoutMs;
    }

    Path socket() {
        return socket;
    }

    /** POSTs a JSON body to {@code /} with {@code Content-Type: application/json}. */
    Reply post(String body) throws IOException {
        HttpReply r = http.post(body.getBytes(StandardCharsets.UTF_8), timeoutMs);
        return new Reply(r.status(), r.text());
    }

    /**
     * One request on a connection of its own ({@code Connection: close}), the reply read to the end.
     *
     * @param contentType {@code null} for no Content-Type header
     * @param body {@code null} for no body
     */
    Reply raw(String method, String path, String contentType, String body) throws IOException {
        HttpReply r = http.send(method, path, contentType, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                timeoutMs);
        return new Reply(r.status(), r.text());
    }

    @Override
    public void close() {
        http.close();
    }
}
