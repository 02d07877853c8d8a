package org.infrakit.rpc.impl.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately independent, minimal HTTP/1.1 client for tests of the server: one request per
 * connection ({@code Connection: close}), the reply read to the end.
 */
public final class RawHttp {
    private RawHttp() {
    }

    /**
     * @param status the status code
     * @param headers header names lower-cased
     * @param body the body, de-chunked
     */
    public record Reply(int status, Map<String, String> headers, byte[] body) {
        /** @return the body as UTF-8 text */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** POSTs JSON to {@code /}. */
    public static Reply post(Path socket, String json) throws IOException {
        return exchange(socket, "POST", "/", "application/json", json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param socket the socket
     * @param method the HTTP method
     * @param path the request path
     * @param contentType the Content-Type, or {@code null} for none
     * @param body the body, or {@code null}
     * @return the reply
     */
    public static Reply exchange(Path socket, String method, String path, String contentType, byte[] body)
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
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
        if (body != null) {
            req.writeBytes(body);
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap(req.toByteArray());
            while (out.hasRemaining()) {
                ch.write(out);
            }
            byte[] raw = readAll(ch);
            if (raw.length == 0) {
                // refused (for instance past max.connections): closed before a byte of reply
                throw new EOFException("the server closed the connection without a reply");
            }
            return parse(raw);
        }
    }

    /** @return everything the peer sends until it closes */
    public static byte[] readAll(SocketChannel ch) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (ch.read(buf) >= 0) {
            buf.flip();
            all.write(buf.array(), 0, buf.limit());
            buf.clear();
        }
        return all.toByteArray();
    }

    /** Parses one complete response. */
    public static Reply parse(byte[] raw) {
        String all = new String(raw, StandardCharsets.ISO_8859_1);
        int end = all.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IllegalArgumentException("no complete HTTP response: " + all);
        }
        String[] lines = all.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] rest = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int pos = 0;
            while (true) {
                int lineEnd = indexOf(rest, pos);
                int size = Integer.parseInt(new String(rest, pos, lineEnd - pos, StandardCharsets.US_ASCII).trim(), 16);
                pos = lineEnd + 2;
                if (size == 0) {
                    break;
                }
                body.write(rest, pos, size);
                pos += size + 2;
            }
            rest = body.toByteArray();
        }
        return new Reply(status, headers, rest);
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length - 1; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalArgumentException("bad chunked body");
    }
}
