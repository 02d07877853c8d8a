package org.infrakit.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A deliberately independent HTTP/1.1 client over unix sockets that sends exactly the bytes it is
 * given (broken ones included) and reads whatever comes back until the server closes, with a
 * deadline enforced by closing the channel.
 */
final class Http {
    /** Closes channels whose deadline passed; one daemon thread for the whole test JVM. */
    static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rel-http-watchdog");
        t.setDaemon(true);
        return t;
    });

    private Http() {
    }

    /**
     * What came back on one connection.
     *
     * @param bytes everything received
     * @param closedByPeer whether the server closed the connection (else the deadline cut it)
     * @param writeFailed whether the server stopped taking the request before it was all sent
     */
    record Raw(byte[] bytes, boolean closedByPeer, boolean writeFailed) {
        /** @return the one response received @throws AssertionError when there is none */
        Reply reply() {
            return parse(bytes);
        }
    }

    /**
     * One HTTP response.
     *
     * @param status the status code
     * @param headers header names lower-cased
     * @param body the body, de-chunked
     */
    record Reply(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            String t = text();
            return status + " " + headers.getOrDefault("content-type", "") + " "
                    + (t.length() > 300 ? t.substring(0, 300) + "..." : t);
        }
    }

    /**
     * @param method the request method
     * @param path the request path
     * @param contentType the Content-Type, or {@code null} for none
     * @param body the body, or {@code null}; sent with a Content-Length
     * @return a complete request asking the server to close after answering
     */
    static byte[] request(String method, String path, String contentType, byte[] body) {
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: rpc\r\nConnection: close\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (body == null) {
            return h;
        }
        byte[] all = Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** @param body a JSON-RPC body @return a POST of it to {@code /} */
    static byte[] post(byte[] body) {
        return request("POST", "/", "application/json", body);
    }

    /** @param json a JSON-RPC body @return a POST of its UTF-8 bytes to {@code /} */
    static byte[] post(String json) {
        return post(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends the bytes and reads until the server closes or the deadline passes. */
    static Raw exchange(Path socket, byte[] request, Duration timeout) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            AtomicBoolean cut = new AtomicBoolean();
            ScheduledFuture<?> dog = WATCHDOG.schedule(() -> {
                cut.set(true);
                try {
                    ch.close();
                } catch (IOException e) {
                    // closing to end a blocked read or write
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
                boolean writeFailed = false;
                try {
                    ByteBuffer out = ByteBuffer.wrap(request);
                    while (out.hasRemaining()) {
                        ch.write(out);
                    }
                } catch (IOException e) {
                    if (cut.get()) {
                        return new Raw(new byte[0], false, true);
                    }
                    writeFailed = true; // the server answered and closed early (e.g. 413): read the answer
                }
                ByteArrayOutputStream in = new ByteArrayOutputStream();
                ByteBuffer buf = ByteBuffer.allocate(16384);
                try {
                    while (ch.read(buf) >= 0) {
                        buf.flip();
                        in.write(buf.array(), 0, buf.limit());
                        buf.clear();
                    }
                } catch (IOException e) {
                    if (!cut.get() && in.size() == 0 && !isReset(e)) {
                        throw e;
                    }
                    return new Raw(in.toByteArray(), !cut.get(), writeFailed);
                }
                return new Raw(in.toByteArray(), true, writeFailed);
            } finally {
                dog.cancel(false);
            }
        }
    }

    /**
     * Reads from a connected channel until the server closes it; at the deadline the channel is
     * closed instead (then {@code ch.isOpen()} is false).
     *
     * @return what was received
     */
    static byte[] exchangeRest(SocketChannel ch, Duration timeout) throws IOException {
        ScheduledFuture<?> dog = WATCHDOG.schedule(() -> {
            try {
                ch.close();
            } catch (IOException e) {
                // closing to end a blocked read
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        try {
            ByteBuffer buf = ByteBuffer.allocate(16384);
            while (ch.read(buf) >= 0) {
                buf.flip();
                in.write(buf.array(), 0, buf.limit());
                buf.clear();
            }
        } catch (IOException e) {
            if (ch.isOpen() && !isReset(e)) {
                throw e;
            }
        } finally {
            dog.cancel(false);
        }
        return in.toByteArray();
    }

    private static boolean isReset(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("reset") || m.contains("broken pipe");
    }

    /** Sends one request and parses the one response. */
    static Reply send(Path socket, byte[] request) throws IOException {
        Raw raw = exchange(socket, request, Duration.ofSeconds(20));
        if (!raw.closedByPeer()) {
            throw new AssertionError("no complete answer within 20 s; received: "
                    + new String(raw.bytes(), StandardCharsets.ISO_8859_1));
        }
        return raw.reply();
    }

    /** @param raw the start of a response @return its status code */
    static int status(byte[] raw) {
        String all = new String(raw, StandardCharsets.ISO_8859_1);
        int eol = all.indexOf("\r\n");
        String[] statusLine = (eol < 0 ? all : all.substring(0, eol)).split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new AssertionError("not an HTTP response: '" + all + "'");
        }
        return Integer.parseInt(statusLine[1]);
    }

    /** Parses one complete response (Content-Length, chunked, or until the end). */
    static Reply parse(byte[] raw) {
        String all = new String(raw, StandardCharsets.ISO_8859_1);
        int end = all.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new AssertionError("no complete HTTP response: '" + all + "'");
        }
        String[] lines = all.substring(0, end).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new AssertionError("not an HTTP response: '" + lines[0] + "'");
        }
        int status = Integer.parseInt(statusLine[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new AssertionError("bad header line '" + lines[i] + "'");
            }
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] rest = Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int pos = 0;
            while (true) {
                int lineEnd = crlf(rest, pos);
                int size = Integer.parseInt(new String(rest, pos, lineEnd - pos, StandardCharsets.US_ASCII).trim(), 16);
                pos = lineEnd + 2;
                if (size == 0) {
                    break;
                }
                body.write(rest, pos, size);
                pos += size + 2;
            }
            rest = body.toByteArray();
        } else if (headers.containsKey("content-length")) {
            int length = Integer.parseInt(headers.get("content-length"));
            if (rest.length < length) {
                throw new AssertionError("body cut short: " + rest.length + " of " + length + " bytes");
            }
            rest = Arrays.copyOf(rest, length);
        }
        return new Reply(status, headers, rest);
    }

    private static int crlf(byte[] b, int from) {
        for (int i = from; i < b.length - 1; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        throw new AssertionError("bad chunked body");
    }
}
