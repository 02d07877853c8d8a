package org.infrakit.launch.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.infrakit.spi.InterfaceSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The probe against a scripted server on a real unix socket. */
class PluginSocketTest {
    private Fixture fx;
    private Path socket;
    private ServerSocketChannel server;
    private Thread acceptor;
    /** The methods the server was asked for, in order. */
    private final List<String> asked = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        fx = new Fixture();
        Files.createDirectories(fx.paths.pluginsDir());
        socket = fx.paths.socket("s");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
            acceptor.join(2000);
        }
        fx.close();
    }

    /** Serves each connection with the raw reply the function gives for the request's method (null: no reply). */
    private void serve(Function<String, String> reply) throws IOException {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        acceptor = new Thread(() -> {
            while (server.isOpen()) {
                try (SocketChannel ch = server.accept()) {
                    String request = readRequest(ch);
                    String method = request.replaceAll("(?s).*\"method\":\"([^\"]*)\".*", "$1");
                    asked.add(method);
                    String r = reply.apply(method);
                    if (r == null) {
                        // never answer: hold the connection until the client gives up
                        ByteBuffer sink = ByteBuffer.allocate(64);
                        while (ch.read(sink.clear()) >= 0) {
                            sink.clear();
                        }
                        continue;
                    }
                    ch.write(ByteBuffer.wrap(r.getBytes(StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    return;
                }
            }
        }, "test-server");
        acceptor.start();
    }

    private static String readRequest(SocketChannel ch) throws IOException {
        StringBuilder b = new StringBuilder();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (!b.toString().contains("\"id\":1}")) {
            if (ch.read(buf.clear()) < 0) {
                break;
            }
            b.append(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    private static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private static final String APIS = "{\"jsonrpc\":\"2.0\",\"result\":{\"APIs\":[{\"Name\":\"Flavor\",\"Version\":\"0.1.0\"},"
            + "{\"Name\":\"Instance\",\"Version\":\"0.6.0\"}]},\"id\":1}\n";

    @Test
    void readsAHandshakeWithContentLength() throws Exception {
        serve(m -> ok(APIS));
        PluginSocket.Handshake hs = PluginSocket.handshake(socket, Duration.ofSeconds(2));
        assertThat(hs.method()).isEqualTo("Handshake.Implements");
        assertThat(hs.apis()).containsExactly(InterfaceSpec.FLAVOR, InterfaceSpec.INSTANCE);
        assertThat(hs.describe()).isEqualTo("Flavor/0.1.0, Instance/0.6.0");
    }

    @Test
    void readsChunkedAndCloseDelimitedReplies() throws Exception {
        String half1 = APIS.substring(0, 20);
        String half2 = APIS.substring(20);
        serve(m -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(half1.length())
                + "\r\n" + half1 + "\r\n" + Integer.toHexString(half2.length()) + ";ext=1\r\n" + half2 + "\r\n0\r\n\r\n");
        assertThat(PluginSocket.handshake(socket, Duration.ofSeconds(2)).apis()).hasSize(2);
        server.close();
        acceptor.join(2000);
        Files.delete(socket);

        serve(m -> "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + APIS);
        assertThat(PluginSocket.handshake(socket, Duration.ofSeconds(2)).apis()).hasSize(2);
    }

    @Test
    void fallsBackToPluginImplementsWhenHandshakeIsNotKnown() throws Exception {
        serve(m -> m.equals("Handshake.Implements")
                ? ok("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"method not found\",\"data\":null},\"id\":1}")
                : ok("{\"jsonrpc\":\"2.0\",\"result\":{\"Interfaces\":[{\"Name\":\"Group\",\"Version\":\"0.1.0\"}]},\"id\":1}"));
        PluginSocket.Handshake hs = PluginSocket.handshake(socket, Duration.ofSeconds(2));
        assertThat(hs.method()).isEqualTo("Plugin.Implements");
        assertThat(hs.apis()).containsExactly(InterfaceSpec.GROUP);
        assertThat(asked).containsExactly("Handshake.Implements", "Plugin.Implements");
    }

    @Test
    void otherErrorsAreNotAFallback() throws Exception {
        serve(m -> ok("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":\"boom\",\"data\":null},\"id\":1}"));
        assertThatThrownBy(() -> PluginSocket.handshake(socket, Duration.ofSeconds(2)))
                .isInstanceOf(PluginSocket.RpcError.class).hasMessage("boom");
        assertThat(asked).containsExactly("Handshake.Implements");
    }

    @Test
    void refusesWhatIsNotAJsonRpcReply() throws Exception {
        serve(m -> "HTTP/1.1 404 Not Found\r\nContent-Length: 19\r\n\r\n404 page not found\n");
        assertThatThrownBy(() -> PluginSocket.handshake(socket, Duration.ofSeconds(2)))
                .hasMessage("HTTP status 404 Not Found");
        server.close();
        acceptor.join(2000);
        Files.delete(socket);

        serve(m -> ok("not json"));
        assertThatThrownBy(() -> PluginSocket.handshake(socket, Duration.ofSeconds(2)))
                .hasMessage("the reply to Handshake.Implements is not JSON");
    }

    @Test
    void aServerThatNeverRepliesTimesOut() throws Exception {
        serve(m -> null);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> PluginSocket.handshake(socket, Duration.ofMillis(300)))
                .isInstanceOf(SocketTimeoutException.class).hasMessageContaining("waiting for the reply from " + socket);
        assertThat(System.nanoTime() - t0).isLessThan(2_000_000_000L);
    }

    @Test
    void tellsAbsentStaleAndLiveSocketsApart() throws Exception {
        assertThat(PluginSocket.state(socket)).isEqualTo(PluginSocket.State.ABSENT);
        assertThatThrownBy(() -> PluginSocket.handshake(socket, Duration.ofSeconds(1)))
                .isInstanceOf(java.net.ConnectException.class);

        serve(m -> ok(APIS));
        assertThat(PluginSocket.state(socket)).isEqualTo(PluginSocket.State.LISTENING);
        assertThat(PluginSocket.removeIfStale(socket)).isFalse();
        assertThat(socket).exists();

        server.close();
        acceptor.join(2000);
        assertThat(PluginSocket.state(socket)).isEqualTo(PluginSocket.State.STALE);
        assertThat(PluginSocket.removeIfStale(socket)).isTrue();
        assertThat(socket).doesNotExist();
        server = null;

        Files.writeString(socket, "not a socket");
        assertThat(PluginSocket.state(socket)).isEqualTo(PluginSocket.State.NOT_A_SOCKET);
        assertThat(PluginSocket.removeIfStale(socket)).isFalse();
        assertThat(socket).exists();
    }

    @Test
    void partialRepliesAskForMore() throws Exception {
        byte[] head = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345".getBytes(StandardCharsets.US_ASCII);
        assertThat(PluginSocket.HttpReply.body(head, false)).isNull();
        assertThatThrownBy(() -> PluginSocket.HttpReply.body(head, true)).hasMessageContaining("shorter than");
        assertThat(PluginSocket.HttpReply.body("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII), false)).isNull();
        assertThatThrownBy(() -> PluginSocket.HttpReply.body("SSH-2.0-x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), true))
                .hasMessageContaining("not an HTTP reply");
    }
}
