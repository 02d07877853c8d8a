package org.infrakit.bench;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.infrakit.flavor.vanilla.impl.VanillaFlavor;
import org.infrakit.rpc.client.JsonRpcClient;
import org.infrakit.rpc.client.RemoteError;
import org.infrakit.rpc.impl.server.PluginObjects;
import org.infrakit.rpc.impl.server.PluginSocketServer;
import org.infrakit.rpc.impl.server.ServerSettings;
import org.infrakit.rpc.impl.server.ServerThreads;
import org.infrakit.spi.Health;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.RawJson;
import org.infrakit.rpc.message.FlavorMessages;
import org.infrakit.rpc.message.HandshakeMessages;

/**
 * JSON-RPC round trips through the real bridge code: the Jetty socket server the runtime exports
 * plugins with ({@link PluginSocketServer}, serving the real vanilla flavor) and the client the
 * runtime imports sockets with ({@link JsonRpcClient}), in one JVM, over a unix socket file. Beside
 * it, in the same run, the floor: a JDK unix {@link SocketChannel} ping-pong of 8 bytes.
 *
 * <p>The runs interleave the four measurements, so that a change of machine load during the run
 * touches all of them alike.
 */
final class RpcBenchmark implements Benchmark {
    private static final long CALL_TIMEOUT_MS = 10_000;
    private static final int PING_BYTES = 8;

    /**
     * @param runs how many times each measurement is repeated
     * @param warmupCalls calls of each kind made before measuring (JIT compilation)
     * @param sequentialCalls calls per sequential run
     * @param clients concurrent clients, one connection and one thread each
     * @param callsPerClient calls per client per concurrent run
     * @param floorRoundTrips ping-pongs per floor run
     */
    record Settings(int runs, int warmupCalls, int sequentialCalls, int clients, int callsPerClient,
            int floorRoundTrips) {
        /** @return the figures of the report */
        static Settings defaults() {
            return new Settings(3, 20_000, 10_000, 16, 1_000, 30_000);
        }

        /** @return a few calls, to check the harness */
        static Settings quick() {
            return new Settings(2, 200, 200, 2, 50, 200);
        }
    }

    /** What one timed loop measured. */
    private record Loop(long[] sortedNanos, long wallNanos) {
        double callsPerSecond() {
            return sortedNanos.length / (wallNanos / 1e9);
        }

        double percentileMicros(double p) {
            return Percentiles.of(sortedNanos, p) / 1e3;
        }
    }

    @FunctionalInterface
    private interface Call {
        void call() throws Exception;
    }

    private final Settings settings;

    /** @param settings how much to measure */
    RpcBenchmark(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String id() {
        return "rpc";
    }

    @Override
    public String title() {
        return "Diagnostic: RPC round trips in one JVM";
    }

    @Override
    public Outcome run() throws Exception {
        Settings s = settings;
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, new NamedThreads("bench-rpc-deadline"));
        timer.setRemoveOnCancelPolicy(true);
        ExecutorService clientThreads = Executors.newFixedThreadPool(s.clients() + 1,
                new NamedThreads("bench-rpc-client"));
        List<JsonRpcClient> clients = new ArrayList<>();
        try (ScratchDir scratch = new ScratchDir("ikbench-rpc");
                ServerThreads threads = new ServerThreads("bench-rpc");
                PluginSocketServer server = PluginSocketServer.start("bench-flavor", scratch.dir("plugins"),
                        PluginObjects.of(null, null, Map.of("", new VanillaFlavor())), ServerSettings.DEFAULTS,
                        "bench-runtime", threads);
                Floor floor = new Floor(scratch.path().resolve("floor"), clientThreads);
                // closed before the server (resources close in reverse order)
                AutoCloseable closeClients = () -> clients.forEach(JsonRpcClient::close)) {
            Path socket = server.socket();
            JsonRpcClient sequential = new JsonRpcClient(socket, CALL_TIMEOUT_MS, timer, false);
            clients.add(sequential);
            List<JsonRpcClient> concurrent = new ArrayList<>();
            for (int i = 0; i < s.clients(); i++) {
                JsonRpcClient c = new JsonRpcClient(socket, CALL_TIMEOUT_MS, timer, false);
                concurrent.add(c);
                clients.add(c);
            }
            FlavorMessages.InstanceRequest healthyParams = new FlavorMessages.InstanceRequest("",
                    RawJson.of("{\"Init\":[\"echo hello\"],\"Tags\":{\"tier\":\"web\"}}"),
                    InstanceDescription.of("instance-1", null, Map.of("tier", "web"), null));
            Call implementsCall = () -> implementsOf(sequential);
            Call healthyCall = () -> healthy(sequential, healthyParams);

            Progress.say("rpc: warming up (" + s.warmupCalls() + " calls of each kind)");
            timed(s.warmupCalls(), floor::pingPong);
            timed(s.warmupCalls(), implementsCall);
            timed(s.warmupCalls(), healthyCall);
            concurrentRun(concurrent, Math.max(1, s.warmupCalls() / s.clients()), clientThreads);

            double[][] seq = new double[3][s.runs()];
            double[][] healthy = new double[2][s.runs()];
            double[][] conc = new double[3][s.runs()];
            double[][] raw = new double[3][s.runs()];
            for (int r = 0; r < s.runs(); r++) {
                Progress.say("rpc: run " + (r + 1) + " of " + s.runs());
                Loop f = timed(s.floorRoundTrips(), floor::pingPong);
                Loop q = timed(s.sequentialCalls(), implementsCall);
                Loop h = timed(s.sequentialCalls(), healthyCall);
                Loop c = concurrentRun(concurrent, s.callsPerClient(), clientThreads);
                fill(raw, r, f);
                fill(seq, r, q);
                healthy[0][r] = h.callsPerSecond();
                healthy[1][r] = h.percentileMicros(50);
                fill(conc, r, c);
            }
            String runs = s.runs() + " runs";
            String seqName = "RPC, sequential, one connection (Plugin.Implements)";
            String healthyName = "RPC, sequential, one connection (Flavor.Healthy)";
            String concName = "RPC, " + s.clients() + " concurrent clients (Plugin.Implements)";
            String floorName = "Raw unix-socket ping-pong, " + PING_BYTES + " bytes (floor)";
            List<Figure> figures = List.of(
                    new Figure(seqName, "calls/s", Unit.CALLS_PER_SECOND, seq[0], runs, null),
                    new Figure(seqName, "p50 latency", Unit.MICROS, seq[1], runs, null),
                    new Figure(seqName, "p99 latency", Unit.MICROS, seq[2], runs, null),
                    new Figure(healthyName, "calls/s", Unit.CALLS_PER_SECOND, healthy[0], runs, null),
                    new Figure(healthyName, "p50 latency", Unit.MICROS, healthy[1], runs, null),
                    new Figure(concName, "calls/s (all clients)", Unit.CALLS_PER_SECOND, conc[0], runs, null),
                    new Figure(concName, "p50 latency", Unit.MICROS, conc[1], runs, null),
                    new Figure(concName, "p99 latency", Unit.MICROS, conc[2], runs, null),
                    new Figure(floorName, "round trips/s", Unit.ROUND_TRIPS_PER_SECOND, raw[0], runs, null),
                    new Figure(floorName, "p50 latency", Unit.MICROS, raw[1], runs, null),
                    new Figure(floorName, "p99 latency", Unit.MICROS, raw[2], runs, null));
            List<String> method = List.of(
                    String.format(Locale.ROOT, "Server: the bridge's `PluginSocketServer` (Jetty, HTTP/1.1 on a unix "
                            + "socket file) serving the real vanilla flavor; client: the bridge's `JsonRpcClient`, "
                            + "both in one JVM with default settings. Warm-up: %,d calls of each kind first.",
                            s.warmupCalls()),
                    String.format(Locale.ROOT, "Sequential: %,d calls per run, one after the other on one kept-alive "
                            + "connection; `Flavor.Healthy` carries params and reaches the plugin object, "
                            + "`Plugin.Implements` measures the bridge alone.", s.sequentialCalls()),
                    String.format(Locale.ROOT, "Concurrent: %d clients, each its own connection and thread, "
                            + "%,d calls each per run; calls/s is all calls over the wall time of the run.",
                            s.clients(), s.callsPerClient()),
                    String.format(Locale.ROOT, "Floor: a JDK `SocketChannel` client and server thread exchanging "
                            + "%d bytes each way, %,d round trips per run, in the same JVM and the same runs.",
                            PING_BYTES, s.floorRoundTrips()),
                    "Latency: every call timed on its own; p50/p99 per run, the table shows the median over runs.",
                    "A diagnostic: client and server share this JVM and its JIT; the headline figures are the "
                            + "runtime process's, driven from another process.");
            return new Outcome(figures, method, List.of());
        } finally {
            clientThreads.shutdownNow();
            timer.shutdownNow();
        }
    }

    private static void fill(double[][] into, int run, Loop loop) {
        into[0][run] = loop.callsPerSecond();
        into[1][run] = loop.percentileMicros(50);
        into[2][run] = loop.percentileMicros(99);
    }

    private static void implementsOf(JsonRpcClient client) throws RemoteError {
        HandshakeMessages.PluginImplementsResponse r = client.call("Plugin.Implements", null,
                HandshakeMessages.PluginImplementsResponse.class);
        if (r.interfaces() == null || r.interfaces().size() != 1) {
            throw new IllegalStateException("unexpected Plugin.Implements answer: " + r);
        }
    }

    private static void healthy(JsonRpcClient client, FlavorMessages.InstanceRequest params) throws RemoteError {
        FlavorMessages.HealthyResponse r = client.call("Flavor.Healthy", params, FlavorMessages.HealthyResponse.class);
        if (r.health() != Health.HEALTHY) {
            throw new IllegalStateException("unexpected Flavor.Healthy answer: " + r);
        }
    }

    private static Loop timed(int n, Call call) throws Exception {
        long[] nanos = new long[n];
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            call.call();
            nanos[i] = System.nanoTime() - t;
        }
        long wall = System.nanoTime() - start;
        Arrays.sort(nanos);
        return new Loop(nanos, wall);
    }

    private static Loop concurrentRun(List<JsonRpcClient> clients, int callsEach, ExecutorService threads)
            throws Exception {
        CountDownLatch ready = new CountDownLatch(clients.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<long[]>> results = new ArrayList<>();
        for (JsonRpcClient c : clients) {
            results.add(threads.submit(() -> {
                long[] nanos = new long[callsEach];
                ready.countDown();
                go.await();
                for (int i = 0; i < callsEach; i++) {
                    long t = System.nanoTime();
                    implementsOf(c);
                    nanos[i] = System.nanoTime() - t;
                }
                return nanos;
            }));
        }
        if (!ready.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the client threads did not start");
        }
        long start = System.nanoTime();
        go.countDown();
        long[] all = new long[callsEach * clients.size()];
        int at = 0;
        for (Future<long[]> f : results) {
            long[] n = f.get(5, TimeUnit.MINUTES);
            System.arraycopy(n, 0, all, at, n.length);
            at += n.length;
        }
        long wall = System.nanoTime() - start;
        Arrays.sort(all);
        return new Loop(all, wall);
    }

    /** A JDK unix-socket echo server thread and one blocking client connection to it. */
    private static final class Floor implements AutoCloseable {
        private final ServerSocketChannel server;
        private final SocketChannel client;
        private final Future<?> echo;
        private final ByteBuffer out = ByteBuffer.allocateDirect(PING_BYTES);
        private final ByteBuffer in = ByteBuffer.allocateDirect(PING_BYTES);

        Floor(Path socket, ExecutorService threads) throws IOException {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            echo = threads.submit(() -> {
                try (SocketChannel peer = server.accept()) {
                    ByteBuffer b = ByteBuffer.allocateDirect(PING_BYTES);
                    while (true) {
                        b.clear();
                        if (!readFully(peer, b)) {
                            return null;
                        }
                        b.flip();
                        while (b.hasRemaining()) {
                            peer.write(b);
                        }
                    }
                }
            });
            client = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            for (int i = 0; i < PING_BYTES; i++) {
                out.put((byte) ('a' + i));
            }
        }

        void pingPong() throws IOException {
            out.rewind();
            while (out.hasRemaining()) {
                client.write(out);
            }
            in.clear();
            if (!readFully(client, in)) {
                throw new EOFException("the echo server closed the connection");
            }
        }

        private static boolean readFully(SocketChannel ch, ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                if (ch.read(b) < 0) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            client.close();
            server.close();
            echo.cancel(true);
        }
    }
}
