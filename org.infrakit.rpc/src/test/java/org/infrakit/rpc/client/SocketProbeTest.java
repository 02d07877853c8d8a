package org.infrakit.rpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

import org.infrakit.rpc.impl.testing.TestDirs;
import org.infrakit.spi.InterfaceSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceException;

/**
 * The socket probe, and the handshake as the launcher runs it, against a scripted server on a real
 * unix socket that closes every connection after one reply.
 */
class SocketProbeTest {
    private Path dir;
    private Path socket;
    private ScheduledExecutorService timer;
    private ServerSocketChannel server;
    private Thread acceptor;
    /** The methods the server was asked for, in order. */
    private final List<String> asked = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        dir = TestDirs.shortTempDir();
        socket = dir.resolve("s");
        timer = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void tearDown() throws Exception {
        stopServer();
        timer.shutdownNow();
        TestDirs.deleteTree(dir);
    }

    private void stopServer() throws Exception {
        if (server != null) {
            server.close();
            acceptor.join(2000);
            server = null;
        }
    }

    /** Serves each connection with the raw reply the function gives for the request's method. */
    private void serve(Function<String, String> reply) throws IOException {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        ServerSocketChannel s = server;
        acceptor = new Thread(() -> {
            while (s.isOpen()) {
                try (SocketChannel ch = s.accept()) {
                    String request = readRequest(ch);
                    String method = request.replaceAll("(?s).*\"method\":\"([^\"]*)\".*", "$1");
                    asked.add(method);
                    ch.write(ByteBuffer.wrap(reply.apply(method).getBytes(StandardCharsets.UTF_8)));
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
        while (!b.toString().matches("(?s).*\"id\":\\d+}")) {
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

    private PluginHandshake.Offer handshake() throws RemoteError {
        try (JsonRpcClient rpc = new JsonRpcClient(socket, 2000, timer, false)) {
            return PluginHandshake.run(rpc);
        }
    }

    @Test
    void readsAHandshakeFromAServerThatClosesEveryConnection() throws Exception {
        serve(m -> m.equals("Handshake.Implements")
                ? ok("{\"jsonrpc\":\"2.0\",\"result\":{\"APIs\":[{\"Name\":\"Flavor\",\"Version\":\"0.1.0\"},"
                        + "{\"Name\":\"Instance\",\"Version\":\"0.6.0\"}]},\"id\":1}\n")
                : ok("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"method not found\"},\"id\":2}"));
        PluginHandshake.Offer hs = handshake();
        assertThat(hs.method()).isEqualTo("Handshake.Implements");
        assertThat(hs.interfaces()).containsExactly(InterfaceSpec.FLAVOR, InterfaceSpec.INSTANCE);
        assertThat(asked).containsExactly("Handshake.Implements", "Handshake.Types");
    }

    @Test
    void otherErrorsAreNotAFallback() throws Exception {
        serve(m -> ok("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":\"boom\",\"data\":null},\"id\":1}"));
        assertThatThrownBy(this::handshake).isInstanceOf(RemoteError.class).hasMessage("boom");
        assertThat(asked).containsExactly("Handshake.Implements");
    }

    @Test
    void anHttpErrorIsNotAHandshake() throws Exception {
        serve(m -> "HTTP/1.1 404 Not Found\r\nContent-Length: 19\r\n\r\n404 page not found\n");
        assertThatThrownBy(this::handshake).isInstanceOf(ServiceException.class)
                .hasMessage("Plugin socket " + socket + " answered Handshake.Implements with HTTP 404: 404 page not found");
    }

    @Test
    void tellsAbsentStaleAndLiveSocketsApart() throws Exception {
        assertThat(SocketProbe.state(socket)).isEqualTo(SocketProbe.State.ABSENT);
        assertThat(SocketProbe.removeIfStale(socket)).isFalse();

        serve(m -> ok("{}"));
        assertThat(SocketProbe.state(socket)).isEqualTo(SocketProbe.State.LISTENING);
        assertThat(SocketProbe.removeIfStale(socket)).isFalse();
        assertThat(socket).exists();

        stopServer();
        assertThat(SocketProbe.state(socket)).isEqualTo(SocketProbe.State.STALE);
        assertThat(SocketProbe.removeIfStale(socket)).isTrue();
        assertThat(socket).doesNotExist();

        Files.writeString(socket, "not a socket");
        assertThat(SocketProbe.state(socket)).isEqualTo(SocketProbe.State.NOT_A_SOCKET);
        assertThat(SocketProbe.removeIfStale(socket)).isFalse();
        assertThat(socket).exists();
        Files.delete(socket);
        Files.createDirectory(socket);
        assertThat(SocketProbe.state(socket)).isEqualTo(SocketProbe.State.NOT_A_SOCKET);
    }
}
