package org.infrakit.embed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/** A one-request HTTP/1.1 client over a unix socket: what {@code curl --unix-socket} does. */
final class UnixHttp {
    private UnixHttp() {
    }

    /**
     * @param socket the plugin socket
     * @param json the JSON-RPC request
     * @return the response body
     * @throws IOException when the socket does not answer with HTTP
     */
    static String post(Path socket, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST / HTTP/1.1\r\nHost: rpc\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
            ch.write(ByteBuffer.wrap(body));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) >= 0) {
                buf.flip();
                out.write(buf.array(), 0, buf.limit());
                buf.clear();
            }
            String response = out.toString(StandardCharsets.UTF_8);
            int split = response.indexOf("\r\n\r\n");
            if (!response.startsWith("HTTP/1.1 200") || split < 0) {
                throw new IOException("unexpected answer from " + socket + ": " + response);
            }
            String headers = response.substring(0, split).toLowerCase(Locale.ROOT);
            if (headers.contains("transfer-encoding: chunked")) {
                throw new IOException("chunked answer from " + socket + " (not expected for JSON-RPC)");
            }
            return response.substring(split + 4);
        }
    }

    /** @return whether the socket answers {@code Plugin.Implements} */
    static boolean answers(Path socket) {
        try {
            return post(socket, "{\"jsonrpc\":\"2.0\",\"method\":\"Plugin.Implements\",\"params\":{},\"id\":1}")
                    .contains("\"result\"");
        } catch (IOException e) {
            return false;
        }
    }
}
