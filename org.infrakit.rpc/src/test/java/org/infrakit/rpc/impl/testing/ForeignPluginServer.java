package org.infrakit.rpc.impl.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plugin server that is not this runtime's exporter: raw JDK sockets and hand-written HTTP, in
 * the manner of a Go plugin process. Answers methods from a table of canned JSON results or
 * errors; can reply chunked, close after every reply, or never reply at all.
 */
public final class ForeignPluginServer implements AutoCloseable {
    private static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*([0-9]+)");

    /** How replies are written. */
    public enum Mode {
        /** Content-Length, kept alive. */
        NORMAL,
        /** Transfer-Encoding: chunked, in small chunks, kept alive. */
        CHUNKED,
        /** Content-Length, then the connection is closed. */
        CLOSE_AFTER_REPLY,
        /** Reads the request and never answers. */
        SILENT
    }

    private final Path socket;
    private final ServerSocketChannel server;
    private final Map<String, String> results = new ConcurrentHashMap<>();
    private final Map<String, String> errors = new ConcurrentHashMap<>();
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
    private final List<String> methodsCalled = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile Mode mode = Mode.NORMAL;
    private final Thread acceptor;
    /** Set when the server crashes or closes: a connection accepted in that instant must not be served. */
    private volatile boolean dead;

    /** @param socket where to listen */
    public ForeignPluginServer(Path socket) throws IOException {
        this.socket = socket;
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        acceptor = new Thread(this::acceptLoop, "foreign-plugin-" + socket.getFileName());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @param method a method @param resultJson its result, JSON @return this */
    public ForeignPluginServer result(String method, String resultJson) {
        results.put(method, resultJson);
        errors.remove(method);
        return this;
    }

    /** @param method a method @param errorJson its error object, JSON @return this */
    public ForeignPluginServer error(String method, String errorJson) {
        errors.put(method, errorJson);
        results.remove(method);
        return this;
    }

    /** @param m how to reply from now on @return this */
    public ForeignPluginServer mode(Mode m) {
        this.mode = m;
        return this;
    }

    /** @return the socket */
    public Path socket() {
        return socket;
    }

    /** @return every method called so far, in order */
    public List<String> methodsCalled() {
        return methodsCalled;
    }

    /** @return how many connections were accepted */
    public int connections() {
        return connections.get();
    }

    /** Closes every open connection (idle kept-alive ones included), keeping the listener. */
    public void dropConnections() {
        for (SocketChannel c : open) {
            try {
                c.close();
            } catch (IOException e) {
                // ignore
            }
        }
        open.clear();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel c = server.accept();
                if (dead) {
                    c.close();
                    return;
                }
                connections.incrementAndGet();
                open.add(c);
                Thread t = new Thread(() -> serve(c), "foreign-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel c) {
        try (c) {
            ByteArrayOutputStream pending = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (true) {
                String all = pending.toString(StandardCharsets.ISO_8859_1);
                int headEnd = all.indexOf("\r\n\r\n");
                if (headEnd >= 0) {
                    Matcher cl = Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(all.substring(0, headEnd));
                    int length = cl.find() ? Integer.parseInt(cl.group(1)) : 0;
                    byte[] raw = pending.toByteArray();
                    if (raw.length >= headEnd + 4 + length) {
                        String body = new String(raw, headEnd + 4, length, StandardCharsets.UTF_8);
                        pending.reset();
                        pending.write(raw, headEnd + 4 + length, raw.length - headEnd - 4 - length);
                        if (!answer(c, body)) {
                            return;
                        }
                        continue;
                    }
                }
                buf.clear();
                if (c.read(buf) < 0) {
                    return;
                }
                pending.write(buf.array(), 0, buf.position());
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            open.remove(c);
        }
    }

    /** @return whether to keep the connection */
    private boolean answer(SocketChannel c, String body) throws IOException {
        if (dead) {
            return false;
        }
        Matcher m = METHOD.matcher(body);
        String method = m.find() ? m.group(1) : "";
        methodsCalled.add(method);
        Matcher idm = ID.matcher(body);
        String id = idm.find() ? idm.group(1) : "null";
        Mode now = mode;
        if (now == Mode.SILENT) {
            return true;
        }
        String json;
        if (results.containsKey(method)) {
            json = "{\"jsonrpc\":\"2.0\",\"result\":" + results.get(method) + ",\"id\":" + id + "}\n";
        } else if (errors.containsKey(method)) {
            json = "{\"jsonrpc\":\"2.0\",\"error\":" + errors.get(method) + ",\"id\":" + id + "}\n";
        } else {
            // the reference's answer to an unknown service
            json = "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":\"rpc: can't find service \\\""
                    + method + "\\\"\",\"data\":null},\"id\":" + id + "}\n";
        }
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n".getBytes(StandardCharsets.US_ASCII));
        if (now == Mode.CHUNKED) {
            out.writeBytes("Transfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < payload.length; i += 7) {
                int n = Math.min(7, payload.length - i);
                out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(payload, i, n);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            out.writeBytes(("Content-Length: " + payload.length + "\r\n"
                    + (now == Mode.CLOSE_AFTER_REPLY ? "Connection: close\r\n" : "") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(payload);
        }
        ByteBuffer b = ByteBuffer.wrap(out.toByteArray());
        while (b.hasRemaining()) {
            c.write(b);
        }
        return now != Mode.CLOSE_AFTER_REPLY;
    }

    /** Stops listening, drops every connection and removes the socket file (a clean exit). */
    @Override
    public void close() throws IOException {
        dead = true;
        server.close();
        dropConnections();
        Files.deleteIfExists(socket);
    }

    /** Stops listening but leaves the socket file behind, like a process killed with -9. */
    public void crash() throws IOException {
        dead = true;
        server.close();
        dropConnections();
    }

    /** @return a lower-cased mode name, for test names */
    @Override
    public String toString() {
        return "ForeignPluginServer[" + socket + ", " + mode.name().toLowerCase(Locale.ROOT) + "]";
    }
}
