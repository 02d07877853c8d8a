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
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plugin socket in the manner of a 2017 Go plugin process: JDK sockets, hand-written HTTP,
 * {@code text/plain} replies, the connection closed after each reply, and a table of canned
 * JSON-RPC results by method. Methods not in the table get the Go server's error,
 * {@code rpc: can't find service <method>} with code -32000.
 */
final class GoStyleSocket implements AutoCloseable {
    private static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*([0-9]+)");

    private final Path socket;
    private final Map<String, String> results;
    private final ServerSocketChannel server;
    private final Thread acceptor;

    /**
     * @param socket where to listen
     * @param results JSON results by method
     */
    GoStyleSocket(Path socket, Map<String, String> results) throws IOException {
        this.socket = socket;
        this.results = Map.copyOf(results);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        acceptor = new Thread(this::accept, "go-style-" + socket.getFileName());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (server.isOpen()) {
            try (SocketChannel c = server.accept()) {
                answer(c);
            } catch (IOException e) {
                // closed, or a client that went away: the next one is served
            }
        }
    }

    private void answer(SocketChannel c) throws IOException {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        int headerEnd = -1;
        int length = 0;
        while (true) {
            buf.clear();
            if (c.read(buf) < 0) {
                return;
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
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }
}
