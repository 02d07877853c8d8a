package org.infrakit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.infrakit.rpc.impl.PluginsDir;
import org.infrakit.rpc.impl.server.PluginObjects;
import org.infrakit.rpc.impl.server.PluginSocketServer;
import org.infrakit.rpc.impl.server.ServerSettings;
import org.infrakit.rpc.impl.server.ServerThreads;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.InstanceSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every call that is executed is answered: {@link #CALLS} calls from {@link #CLIENTS} threads over
 * a real socket, each thread on kept-alive connections that it hangs up after 1 to 40 calls and
 * opens again (the churn that lost about one reply in 100,000: a hang-up let the socket library's
 * selector close a channel under a worker thread, whose descriptor number the next connection got;
 * see the server's connector). A reply that does not come within {@link #REPLY_DEADLINE_MS} counts
 * as lost; the server would otherwise leave the client waiting for its idle timeout. Every call is
 * counted on the server too: executed calls must equal answered ones. The figure (lost replies per
 * million calls) goes to the reliability report.
 */
class EveryCallAnsweredTest {
    static final long REPLY_DEADLINE_MS = 5_000;
    static final int CLIENTS = 6;
    static final long CALLS = Scale.times(150_000);

    private Path root;
    private ServerThreads threads;
    private PluginSocketServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        if (threads != null) {
            threads.close();
        }
        TempDirs.delete(root);
    }

    /** Answers DescribeInstances with nothing, counting the calls. */
    static final class Counting implements InstancePlugin {
        final AtomicLong calls = new AtomicLong();

        @Override
        public void validate(org.infrakit.spi.RawJson properties) {
        }

        @Override
        public String provision(InstanceSpec spec) {
            return null;
        }

        @Override
        public void label(String id, java.util.Map<String, String> labels) {
        }

        @Override
        public void destroy(String id, org.infrakit.spi.DestroyContext context) {
        }

        @Override
        public List<InstanceDescription> describeInstances(java.util.Map<String, String> tags, boolean properties) {
            calls.incrementAndGet();
            return List.of();
        }
    }

    @Test
    void noReplyIsLostUnderKeepAliveAndConnectionChurn() throws Exception {
        root = TempDirs.create();
        Path dir = PluginsDir.ensure(root.resolve("plugins"));
        threads = new ServerThreads("rel-answered");
        Counting plugin = new Counting();
        server = PluginSocketServer.start("instance-count", dir, PluginObjects.of(null, java.util.Map.of("", plugin), null),
                ServerSettings.DEFAULTS, "rel", threads);
        socket = server.socket();
        byte[] body = "{\"jsonrpc\":\"2.0\",\"method\":\"Instance.DescribeInstances\",\"params\":{\"Tags\":{}},\"id\":1}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] request = ("POST / HTTP/1.1\r\nHost: rpc\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] whole = new byte[request.length + body.length];
        System.arraycopy(request, 0, whole, 0, request.length);
        System.arraycopy(body, 0, whole, request.length, body.length);

        AtomicLong answered = new AtomicLong();
        AtomicLong lost = new AtomicLong();
        AtomicLong connections = new AtomicLong();
        AtomicLong started = new AtomicLong();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
                PluginHost.named("rel-answered-watchdog"));
        long t0 = System.nanoTime();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            Random random = new Random(c);
            Thread t = new Thread(() -> run(whole, random, answered, lost, connections, started, watchdog),
                    "rel-answered-" + c);
            t.start();
            clients.add(t);
        }
        for (Thread t : clients) {
            t.join();
        }
        watchdog.shutdownNow();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long calls = answered.get() + lost.get();
        double perMillion = calls == 0 ? 0 : lost.get() * 1e6 / calls;
        ReportFile.section("Lost replies", String.format(Locale.ROOT,
                "# %s: %d calls over %d connections (1 to 40 calls each) from %d threads in %d ms%n"
                        + "lost replies: %d (%.2f per million calls; target 0), executed on the server: %d%n",
                Instant.now(), calls, connections.get(), CLIENTS, ms, lost.get(), perMillion, plugin.calls.get()));
        assertThat(lost.get()).as("replies lost in %d calls", calls).isZero();
        assertThat(plugin.calls.get()).as("calls executed").isEqualTo(answered.get());
    }

    private static void run(byte[] request, Random random, AtomicLong answered, AtomicLong lost,
            AtomicLong connections, AtomicLong started, ScheduledExecutorService watchdog) {
        SocketChannel ch = null;
        int left = 0;
        ByteBuffer in = ByteBuffer.allocate(4096);
        try {
            while (started.incrementAndGet() <= CALLS) {
                try {
                    if (ch == null) {
                        ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                        ch.connect(UnixDomainSocketAddress.of(socket));
                        connections.incrementAndGet();
                        left = 1 + random.nextInt(40);
                    }
                    SocketChannel current = ch;
                    ScheduledFuture<?> cut = watchdog.schedule(() -> {
                        lost.incrementAndGet();
                        close(current);
                    }, REPLY_DEADLINE_MS, TimeUnit.MILLISECONDS);
                    ch.write(ByteBuffer.wrap(request));
                    in.clear();
                    while (!complete(in)) {
                        if (ch.read(in) < 0) {
                            throw new IOException("closed before the reply was whole");
                        }
                    }
                    if (cut.cancel(false)) {
                        answered.incrementAndGet();
                    }
                    if (--left == 0) {
                        close(ch);
                        ch = null;
                    }
                } catch (IOException e) {
                    close(ch);
                    ch = null;
                }
            }
        } finally {
            close(ch);
        }
    }

    /** The server's socket, for the client threads. */
    private static volatile Path socket;

    private static void close(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /** @return whether {@code in} holds one whole response (headers and Content-Length bytes) */
    private static boolean complete(ByteBuffer in) {
        String s = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
        int head = s.indexOf("\r\n\r\n");
        if (head < 0) {
            return false;
        }
        int cl = s.toLowerCase(Locale.ROOT).indexOf("content-length: ");
        int eol = s.indexOf("\r\n", cl);
        int len = Integer.parseInt(s.substring(cl + 16, eol).trim());
        return s.length() >= head + 4 + len;
    }
}
