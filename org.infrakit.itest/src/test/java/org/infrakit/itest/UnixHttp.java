package org.infrakit.itest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A minimal HTTP/1.1 client over a unix socket with the JDK's own {@link SocketChannel},
 * independent of the runtime's client: one request per connection ({@code Connection: close}),
 * the reply read to the end. A reply that takes longer than {@link #TIMEOUT_MS} is cut off.
 */
final class UnixHttp {
    static final long TIMEOUT_MS = 10_000;

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "itest-http-watchdog");
        t.setDaemon(true);
        return t;
    });

    private UnixHttp() {
    }

    /**
     * @param status the HTTP status code
     * @param headers header names lower-cased
     * @param body the body, de-chunked, as UTF-8 text
     */
    record Reply(int status, Map<String, String> headers, String body) {
    }

    /**
     * POSTs a JSON-RPC request to {@code /} and returns the reply body, failing unless the status
     * is 200.
     */
    static String call(Path socket, String json) throws IOException {
        Reply reply = post(socket, json);
        if (reply.status() != 200) {
            throw new AssertionError("HTTP " + reply.status() + " from " + socket + ": " + reply.body());
        }
        return reply.body();
    }

    /** POSTs JSON to {@code /}. */
    static Reply post(Path socket, String json) throws IOException {
        return exchange(socket, "POST", "/", "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param socket the socket file
     * @param method the HTTP method
     * @param path the request path
     * @param contentType the Content-Type, or {@code null} for none
     * @param body the body, or {@code null}
     * @return the reply
     */
    static Reply exchange(Path socket, String method, String path, String contentType, byte[] body)
            throws IOException {
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: rpc\r\nConnection: close\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
        if (body != null) {
            request.writeBytes(body);
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ScheduledFuture<?> cut = WATCHDOG.schedule(() -> {
                try {
                    ch.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }, TIMEOUT_MS, TimeUnit.MILLISECONDS);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
                ByteBuffer out = ByteBuffer.wrap(request.toByteArray());
                while (out.hasRemaining()) {
                    ch.write(out);
                }
                return parse(readAll(ch));
            } finally {
                cut.cancel(false);
            }
        }
    }

    private static byte[] readAll(SocketChannel ch) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (ch.read(buf) >= 0) {
            buf.flip();
            all.write(buf.array(), 0, buf.limit());
            buf.clear();
        }
        return all.toByteArray();
    }

    private static Reply parse(byte[] raw) throws IOException {
        String all = new String(raw, StandardCharsets.ISO_8859_1);
        int end = all.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no complete HTTP response: " + all);
        }
        String[] lines = all.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        byte[] rest = Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            rest = dechunk(rest);
        }
        return new Reply(status, headers, new String(rest, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] rest) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int pos = 0;
        while (true) {
            int lineEnd = lineEnd(rest, pos);
            int size = Integer.parseInt(new String(rest, pos, lineEnd - pos, StandardCharsets.US_ASCII).trim(), 16);
            pos = lineEnd + 2;
            if (size == 0) {
                return body.toByteArray();
            }
            body.write(rest, pos, size);
            pos += size + 2;
        }
    }

    private static int lineEnd(byte[] b, int from) throws IOException {
        for (int i = from; i < b.length - 1; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        throw new IOException("bad chunked body");
    }
}
