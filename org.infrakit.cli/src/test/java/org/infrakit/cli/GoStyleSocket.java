package org.infrakit.cli;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plugin socket in the manner of a 2017 Go plugin process: JDK sockets, hand-written HTTP,
 * {@code text/plain} replies, the connection closed after each reply, and a table of canned
 * JSON-RPC results by method. Methods not in the table get the Go server's error,
 * {@code rpc: can't find service <method>} with code -32000; methods it is told to hang on get no
 * answer at all (a plugin stuck in a call): the request is read, the connection stays open until
 * {@link #close()}.
 */
final class GoStyleSocket implements AutoCloseable {
    private static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*([0-9]+)");

    private final Path socket;
    private final Map<String, String> results;
    private final Predicate<String> hangsOn;
    private final List<SocketChannel> held = new ArrayList<>();
    private final ServerSocketChannel server;
    private final Thread acceptor;

    /**
     * @param socket where to listen
     * @param results JSON results by method
     */
    GoStyleSocket(Path socket, Map<String, String> results) throws IOException {
        this(socket, results, method -> false);
    }

    /**
     * @param socket where to listen
     * @param results JSON results by method
     * @param hangsOn the methods never answered
     */
    GoStyleSocket(Path socket, Map<String, String> results, Predicate<String> hangsOn) throws IOException {
        this.socket = socket;
        this.results = Map.copyOf(results);
        this.hangsOn = hangsOn;
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        acceptor = new Thread(this::accept, "go-style-" + socket.getFileName());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (server.isOpen()) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                continue; // closed: the loop ends
            }
            boolean answered = true;
            try {
                answered = answer(c);
            } catch (IOException e) {
                // a client that went away: the next one is served
            } finally {
                if (answered) {
                    closeQuietly(c);
                } else {
                    synchronized (held) {
                        held.add(c);
                    }
                }
            }
        }
    }

    /** @return whether it answered; {@code false} for a method it hangs on */
    private boolean answer(SocketChannel c) throws IOException {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        int headerEnd = -1;
        int length = 0;
        while (true) {
            buf.clear();
            if (c.read(buf) < 0) {
                return true; // the client went away: nothing to answer
            }
            in.write(buf.array(), 0, buf.position());
            String text = in.toString(StandardCharsets.ISO_8859_1);
            if (headerEnd < 0 && (headerEnd = text.indexOf("\r\n\r\n")) >= 0) {
                Matcher m = Pattern.compile("content-length:\\s*(\\d+)").matcher(text.toLowerCase(Locale.ROOT));
                length = m.find() ? Integer.parseInt(m.group(1)) : 0;
            }
            if (headerEnd >= 0 && in.size() >= headerEnd + 4 + length) {
                break;
            }
        }
        String body = in.toString(StandardCharsets.UTF_8).substring(headerEnd + 4);
        Matcher method = METHOD.matcher(body);
        Matcher id = ID.matcher(body);
        String m = method.find() ? method.group(1) : "";
        String idText = id.find() ? id.group(1) : "null";
        if (hangsOn.test(m)) {
            return false;
        }
        String result = results.get(m);
        String reply = result != null
                ? "{\"jsonrpc\":\"2.0\",\"result\":" + result + ",\"id\":" + idText + "}"
                : "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":\"rpc: can't find service " + m
                        + "\",\"data\":null},\"id\":" + idText + "}";
        byte[] bytes = (reply + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n";
        ByteBuffer out = ByteBuffer.wrap((head + reply + "\n").getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            c.write(out);
        }
        return true;
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (held) {
            held.forEach(GoStyleSocket::closeQuietly);
            held.clear();
        }
        Files.deleteIfExists(socket);
    }
}
