package org.infrakit.conformance.impl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.infrakit.rpc.client.HttpReply;
import org.infrakit.rpc.client.UnixHttpClient;

/**
 * The kit's two ways to talk to a socket: the project's socket client for JSON POSTs to
 * {@code /} (bodies compared as they come), and a raw one-shot exchange for the checks about HTTP
 * itself (other methods, paths and content types, which that client never sends).
 */
final class Wire implements AutoCloseable {
    /** An HTTP reply: status and body text. */
    record Reply(int status, String body) {
    }

    private final Path socket;
    private final UnixHttpClient http;
    private final long timeoutMs;
    private final ScheduledExecutorService timer;

    Wire(Path socket, ScheduledExecutorService timer, long timeoutMs) {
        this.socket = socket;
        this.timer = timer;
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
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: rpc\r\nConnection: close\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(payload.length).append("\r\n");
        }
        head.append("\r\n");
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap((head.toString() + (body == null ? "" : body)).getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            // a socket that never ends its reply is closed when the deadline passes
            ScheduledFuture<?> deadline = timer.schedule(() -> {
                try {
                    ch.close();
                } catch (IOException e) {
                    // closed already
                }
            }, timeoutMs, TimeUnit.MILLISECONDS);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            try {
                while (ch.read(buf) >= 0) {
                    all.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
            } catch (AsynchronousCloseException e) {
                throw new IOException("no complete reply within " + timeoutMs + " ms");
            } finally {
                deadline.cancel(false);
            }
            return parse(all.toByteArray());
        }
    }

    private static Reply parse(byte[] reply) throws IOException {
        String text = new String(reply, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || end < 0) {
            throw new IOException("not an HTTP reply: " + Compare.excerpt(text));
        }
        String head = text.substring(0, end).toLowerCase(Locale.ROOT);
        int status = Integer.parseInt(head.split("\r\n")[0].split(" ")[1]);
        int at = end + 4;
        if (!head.matches("(?s).*\r\ntransfer-encoding:[^\r]*chunked.*")) {
            return new Reply(status, new String(reply, at, reply.length - at, StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            int eol = text.indexOf("\r\n", at);
            int size = Integer.parseInt(text.substring(at, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                return new Reply(status, body.toString(StandardCharsets.UTF_8));
            }
            body.write(reply, eol + 2, size);
            at = eol + 2 + size + 2;
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
