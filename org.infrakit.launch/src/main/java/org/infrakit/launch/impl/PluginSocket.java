package org.infrakit.launch.impl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.infrakit.spi.InterfaceSpec;
import org.infrakit.rpc.json.ProtocolJson;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Just enough of a JSON-RPC client to tell whether a plugin's socket answers: HTTP/1.1 over a unix
 * socket with the JDK's {@link SocketChannel}, one request per connection ({@code Connection:
 * close}), every step bounded by a deadline. Real calls go through the RPC bridge; this is only
 * the launcher's health probe.
 */
final class PluginSocket {
    /** What is at a socket path. */
    enum State {
        /** Nothing at the path. */
        ABSENT,
        /** A file that is not a socket (a regular file, a directory): not ours to touch. */
        NOT_A_SOCKET,
        /** A socket file nobody listens on: left behind by a dead process. */
        STALE,
        /** A live process accepts connections on it. */
        LISTENING
    }

    /**
     * The interfaces a plugin said it implements.
     *
     * @param method the handshake method that answered
     * @param apis the interfaces
     */
    record Handshake(String method, List<InterfaceSpec> apis) {
        /** Canonical constructor. */
        Handshake {
            apis = List.copyOf(apis);
        }

        /** @return {@code Instance/0.6.0, Flavor/0.1.0} */
        String describe() {
            return apis.isEmpty() ? "no interfaces" : String.join(", ", apis.stream().map(InterfaceSpec::toString).toList());
        }
    }

    /** The answer to a JSON-RPC call that is an error object. */
    static final class RpcError extends IOException {
        private static final long serialVersionUID = 1L;
        private final int code;

        RpcError(int code, String message) {
            super(message);
            this.code = code;
        }

        int code() {
            return code;
        }
    }

    /** Replies larger than this are not a handshake: refuse them rather than buffer them. */
    private static final int MAX_REPLY = 1 << 20;

    private PluginSocket() {
    }

    /**
     * @param socket a socket path
     * @return what is there; a connect attempt tells a live socket from a stale one
     */
    static State state(Path socket) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return State.ABSENT;
        } catch (IOException e) {
            return State.NOT_A_SOCKET;
        }
        if (!attrs.isOther()) {
            return State.NOT_A_SOCKET;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return State.LISTENING;
        } catch (ConnectException e) {
            return State.STALE;
        } catch (IOException e) {
            // ENOENT between the stat and the connect: it just went away
            return Files.exists(socket, LinkOption.NOFOLLOW_LINKS) ? State.STALE : State.ABSENT;
        }
    }

    /**
     * Removes a socket file only when nobody answers on it.
     *
     * @param socket a socket path
     * @return whether a stale socket file was removed
     */
    static boolean removeIfStale(Path socket) {
        if (state(socket) != State.STALE) {
            return false;
        }
        try {
            return Files.deleteIfExists(socket);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Asks a plugin which interfaces it implements: {@code Handshake.Implements}, and
     * {@code Plugin.Implements} when the first is not known to the plugin (DECISIONS D1).
     *
     * @param socket the socket path
     * @param timeout the time allowed for both calls together
     * @return the plugin's interfaces
     * @throws IOException when the socket does not answer, times out or answers something else
     */
    static Handshake handshake(Path socket, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            JsonNode result = call(socket, "Handshake.Implements", deadline);
            return new Handshake("Handshake.Implements", specs(result.get("APIs")));
        } catch (RpcError e) {
            if (!methodNotFound(e)) {
                throw e;
            }
        }
        JsonNode result = call(socket, "Plugin.Implements", deadline);
        return new Handshake("Plugin.Implements", specs(result.get("Interfaces")));
    }

    private static boolean methodNotFound(RpcError e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        // -32601 from JSON-RPC 2.0 servers (this runtime); the 2017 Go servers say -32000 "rpc: can't find ..."
        return e.code() == -32601 || (e.code() == -32000 && m.contains("can't find"));
    }

    private static List<InterfaceSpec> specs(JsonNode array) throws IOException {
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw new IOException("handshake reply is not a list of interfaces: " + array);
        }
        List<InterfaceSpec> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(ProtocolJson.mapper().treeToValue(n, InterfaceSpec.class));
        }
        return out;
    }

    /**
     * Makes one JSON-RPC call with params {@code {}}.
     *
     * @param socket the socket path
     * @param method the method, e.g. {@code Handshake.Implements}
     * @param timeout the time allowed
     * @return the {@code result} member
     * @throws IOException on a transport failure, a timeout, or when the reply is an error
     *     ({@link RpcError})
     */
    static JsonNode call(Path socket, String method, Duration timeout) throws IOException {
        return call(socket, method, System.nanoTime() + timeout.toNanos());
    }

    private static JsonNode call(Path socket, String method, long deadline) throws IOException {
        byte[] body = ("{\"jsonrpc\":\"2.0\",\"method\":" + ProtocolJson.write(method) + ",\"params\":{},\"id\":1}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST / HTTP/1.1\r\nHost: rpc\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] reply = exchange(socket, ByteBuffer.allocate(head.length + body.length).put(head).put(body).flip(),
                deadline);
        JsonNode envelope;
        try {
            envelope = ProtocolJson.mapper().readTree(reply);
        } catch (IOException e) {
            throw new IOException("the reply to " + method + " is not JSON");
        }
        if (envelope == null || !envelope.isObject()) {
            throw new IOException("the reply to " + method + " is not a JSON-RPC response");
        }
        JsonNode error = envelope.get("error");
        if (error != null && !error.isNull()) {
            throw new RpcError(error.path("code").asInt(0), error.path("message").asText(error.toString()));
        }
        JsonNode result = envelope.get("result");
        if (result == null || result.isNull()) {
            throw new IOException("the reply to " + method + " has no result");
        }
        return result;
    }

    /** Sends the request and returns the reply's body. */
    private static byte[] exchange(Path socket, ByteBuffer request, long deadline) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                Selector selector = Selector.open()) {
            ch.configureBlocking(false);
            if (!ch.connect(UnixDomainSocketAddress.of(socket))) {
                SelectionKey key = ch.register(selector, SelectionKey.OP_CONNECT);
                while (!ch.finishConnect()) {
                    await(selector, deadline, "connecting to " + socket);
                }
                key.cancel();
                selector.selectNow();
            }
            SelectionKey key = ch.register(selector, SelectionKey.OP_WRITE);
            while (request.hasRemaining()) {
                if (ch.write(request) == 0) {
                    await(selector, deadline, "sending to " + socket);
                }
            }
            key.interestOps(SelectionKey.OP_READ);
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (true) {
                int n = ch.read(buf.clear());
                if (n > 0) {
                    in.write(buf.array(), 0, n);
                    if (in.size() > MAX_REPLY) {
                        throw new IOException("the reply from " + socket + " is larger than " + MAX_REPLY + " bytes");
                    }
                }
                byte[] body = HttpReply.body(in.toByteArray(), n < 0);
                if (body != null) {
                    return body;
                }
                if (n < 0) {
                    throw new IOException("connection closed by " + socket + " before a complete reply");
                }
                if (n == 0) {
                    await(selector, deadline, "waiting for the reply from " + socket);
                }
            }
        } catch (SocketException e) {
            throw e instanceof ConnectException ? e : new ConnectException(e.getMessage() + ": " + socket);
        }
    }

    private static void await(Selector selector, long deadline, String what) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("timed out " + what);
        }
        selector.select(Math.max(1, left / 1_000_000));
        selector.selectedKeys().clear();
    }

    /** The minimal HTTP/1.1 response parsing this probe needs. */
    static final class HttpReply {
        private HttpReply() {
        }

        /**
         * @param data the bytes received so far
         * @param eof whether the peer closed the connection
         * @return the body once the whole response is there, or {@code null} when more must be read
         * @throws IOException when the response is not HTTP, not 200, or malformed
         */
        static byte[] body(byte[] data, boolean eof) throws IOException {
            int end = indexOf(data, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
            if (end < 0) {
                if (eof) {
                    throw new IOException(data.length == 0 ? "empty reply" : "incomplete HTTP reply");
                }
                return null;
            }
            String[] lines = new String(data, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
            String[] status = lines[0].split(" ", 3);
            if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP reply: " + abbreviate(lines[0]));
            }
            if (!status[1].equals("200")) {
                throw new IOException("HTTP status " + lines[0].substring(status[0].length()).strip());
            }
            long length = -1;
            boolean chunked = false;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = lines[i].substring(colon + 1).strip();
                if (name.equals("content-length")) {
                    try {
                        length = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IOException("bad Content-Length: " + abbreviate(value));
                    }
                } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                    chunked = true;
                }
            }
            int start = end + 4;
            if (chunked) {
                return dechunk(data, start, eof);
            }
            if (length >= 0) {
                if (data.length - start >= length) {
                    return java.util.Arrays.copyOfRange(data, start, start + (int) length);
                }
                if (eof) {
                    throw new IOException("reply shorter than its Content-Length");
                }
                return null;
            }
            return eof ? java.util.Arrays.copyOfRange(data, start, data.length) : null;
        }

        private static byte[] dechunk(byte[] data, int pos, boolean eof) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                int lineEnd = indexOf(data, new byte[] {'\r', '\n'}, pos);
                if (lineEnd < 0) {
                    break;
                }
                String sizeText = new String(data, pos, lineEnd - pos, StandardCharsets.US_ASCII);
                int semi = sizeText.indexOf(';');
                long size;
                try {
                    size = Long.parseLong((semi < 0 ? sizeText : sizeText.substring(0, semi)).strip(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("bad chunk size: " + abbreviate(sizeText));
                }
                if (size == 0) {
                    return out.toByteArray();
                }
                int chunkStart = lineEnd + 2;
                if (data.length < chunkStart + size + 2) {
                    break;
                }
                out.write(data, chunkStart, (int) size);
                pos = chunkStart + (int) size + 2;
            }
            if (eof) {
                throw new IOException("incomplete chunked reply");
            }
            return null;
        }

        private static int indexOf(byte[] data, byte[] pattern, int from) {
            outer:
            for (int i = from; i <= data.length - pattern.length; i++) {
                for (int j = 0; j < pattern.length; j++) {
                    if (data[i + j] != pattern[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        private static String abbreviate(String s) {
            return s.length() > 80 ? s.substring(0, 80) + "..." : s;
        }
    }
}
