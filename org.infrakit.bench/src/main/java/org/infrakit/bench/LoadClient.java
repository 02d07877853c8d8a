package org.infrakit.bench;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The benchmark's load generator, run as a process of its own ({@link LoadClientProcess} starts it
 * with the JVM's default options, so with the full JIT): it sends JSON-RPC calls to a plugin socket
 * over HTTP/1.1 with kept-alive connections and times every call.
 *
 * <p>It is the floor of what a client costs, not a full HTTP client: a JDK unix
 * {@link SocketChannel} per connection, one blocking thread each, the request bytes built per call
 * (only the id changes), and the reply read just far enough to find its status, its length
 * ({@code Content-Length} or chunked) and whether it carries a {@code result}.
 *
 * <p>Protocol: one JSON object per line on standard input, one JSON object per line on standard
 * output in reply; it exits at the end of its input.
 * <pre>
 * in:  {"socket":"/path","method":"Handshake.Implements","params":{},"connections":16,"calls":1000,
 *       "count":"\"ID\":"}
 * out: {"calls":16000,"wallNanos":…,"p50Nanos":…,"p99Nanos":…,"maxNanos":…,"bytes":…,"count":…}
 *      or {"error":"one line"}
 * </pre>
 * {@code calls} is per connection; {@code count}, when given, is how often that text occurs in the
 * first reply of the first connection (to check a reply's size without decoding it).
 */
public final class LoadClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The longest one load may take, all its calls together. */
    private static final long LOAD_TIMEOUT_MINUTES = 10;

    private LoadClient() {
    }

    /**
     * @param args none
     * @throws IOException when standard input or output fails
     */
    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        ExecutorService threads = Executors.newCachedThreadPool(new NamedThreads("load-client"));
        try {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                out.println(JSON.writeValueAsString(answer(line, threads)));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static ObjectNode answer(String line, ExecutorService threads) {
        ObjectNode reply = JSON.createObjectNode();
        try {
            JsonNode cmd = JSON.readTree(line);
            Result r = run(Path.of(cmd.path("socket").asText()), cmd.path("method").asText(),
                    JSON.writeValueAsString(cmd.path("params")), cmd.path("connections").asInt(1),
                    cmd.path("calls").asInt(1), cmd.hasNonNull("count") ? cmd.get("count").asText() : null, threads);
            reply.put("calls", r.sortedNanos().length);
            reply.put("wallNanos", r.wallNanos());
            reply.put("p50Nanos", Percentiles.of(r.sortedNanos(), 50));
            reply.put("p99Nanos", Percentiles.of(r.sortedNanos(), 99));
            reply.put("maxNanos", r.sortedNanos()[r.sortedNanos().length - 1]);
            reply.put("bytes", r.bytes());
            reply.put("count", r.count());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply.put("error", "interrupted");
        } catch (Exception e) {
            Throwable c = e.getCause() != null && e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            reply.put("error", (c.getClass().getSimpleName() + ": " + c.getMessage()).replace('\n', ' '));
        }
        return reply;
    }

    /**
     * @param sortedNanos every call's time, sorted
     * @param wallNanos from the start of the first call to the end of the last
     * @param bytes reply bytes received (bodies)
     * @param count occurrences of the counted text in the first reply, or -1
     */
    record Result(long[] sortedNanos, long wallNanos, long bytes, long count) {
    }

    /**
     * Runs the calls: every connection is opened first, then all start together.
     *
     * @return what was measured
     * @throws Exception when a connection fails or a reply is not a result
     */
    static Result run(Path socket, String method, String params, int connections, int calls, String count,
            ExecutorService threads) throws Exception {
        if (connections < 1 || calls < 1) {
            throw new IllegalArgumentException("connections and calls must be at least 1");
        }
        List<Connection> conns = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                conns.add(new Connection(socket, method, params));
            }
            CountDownLatch ready = new CountDownLatch(connections);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<long[]>> results = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                Connection c = conns.get(i);
                String counted = i == 0 ? count : null;
                results.add(threads.submit(() -> {
                    long[] nanos = new long[calls];
                    ready.countDown();
                    go.await();
                    for (int k = 0; k < calls; k++) {
                        long t = System.nanoTime();
                        c.call(k == 0 ? counted : null);
                        nanos[k] = System.nanoTime() - t;
                    }
                    return nanos;
                }));
            }
            if (!ready.await(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the client threads did not start");
            }
            long start = System.nanoTime();
            go.countDown();
            long[] all = new long[connections * calls];
            int at = 0;
            long deadline = start + TimeUnit.MINUTES.toNanos(LOAD_TIMEOUT_MINUTES);
            for (Future<long[]> f : results) {
                long[] n;
                try {
                    n = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new IllegalStateException("the load did not finish within " + LOAD_TIMEOUT_MINUTES
                            + " minutes");
                }
                System.arraycopy(n, 0, all, at, n.length);
                at += n.length;
            }
            long wall = System.nanoTime() - start;
            Arrays.sort(all);
            long bytes = conns.stream().mapToLong(c -> c.bytes).sum();
            return new Result(all, wall, bytes, conns.get(0).counted);
        } finally {
            for (Connection c : conns) {
                c.close();
            }
        }
    }

    /** One kept-alive HTTP/1.1 connection, used by one thread. */
    static final class Connection implements AutoCloseable {
        private static final byte[] RESULT = "\"result\"".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] ERROR = "\"error\"".getBytes(StandardCharsets.US_ASCII);
        /** How far into a body its {@code result} or {@code error} member is looked for. */
        private static final int HEAD_OF_BODY = 64;

        private final SocketChannel channel;
        private final byte[] bodyStart;
        private final byte[] bodyEnd;
        private final ByteBuffer out = ByteBuffer.allocate(1024);
        private ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        private final byte[] head = new byte[HEAD_OF_BODY];
        private int headLength;
        private long id;
        long bytes;
        long counted = -1;

        Connection(Path socket, String method, String params) throws IOException {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            bodyStart = ("{\"jsonrpc\":\"2.0\",\"method\":" + JSON.writeValueAsString(method) + ",\"params\":" + params
                    + ",\"id\":").getBytes(StandardCharsets.UTF_8);
            bodyEnd = "}".getBytes(StandardCharsets.US_ASCII);
            in.flip();
        }

        /**
         * One call: sends the request, reads the whole reply.
         *
         * @param count a text to count in the reply's body, or {@code null}
         * @throws IOException when the connection fails or the reply is not a JSON-RPC result
         */
        void call(String count) throws IOException {
            byte[] idBytes = Long.toString(++id).getBytes(StandardCharsets.US_ASCII);
            int length = bodyStart.length + idBytes.length + bodyEnd.length;
            byte[] headLine = ("POST / HTTP/1.1\r\nHost: rpc\r\nContent-Type: application/json\r\nContent-Length: "
                    + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            ByteBuffer o = out.capacity() >= headLine.length + length ? out.clear()
                    : ByteBuffer.allocate(headLine.length + length);
            o.put(headLine).put(bodyStart).put(idBytes).put(bodyEnd).flip();
            while (o.hasRemaining()) {
                channel.write(o);
            }
            readReply(count);
        }

        private void readReply(String count) throws IOException {
            int status = 0;
            long contentLength = -1;
            boolean chunked = false;
            boolean close = false;
            String line = readLine();
            if (line.length() < 12 || !line.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP reply: " + line);
            }
            status = Integer.parseInt(line.substring(9, 12));
            while (!(line = readLine()).isEmpty()) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    contentLength = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = value.toLowerCase(java.util.Locale.ROOT).contains("chunked");
                } else if (name.equalsIgnoreCase("Connection")) {
                    close = value.equalsIgnoreCase("close");
                }
            }
            headLength = 0;
            StringBuilder text = count != null ? new StringBuilder() : null;
            if (chunked) {
                while (true) {
                    String size = readLine();
                    int semi = size.indexOf(';');
                    long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                    if (n == 0) {
                        while (!readLine().isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    body(n, text);
                    readLine();
                }
            } else if (contentLength >= 0) {
                body(contentLength, text);
            } else {
                throw new IOException("a reply without Content-Length or chunked encoding");
            }
            String start = new String(head, 0, headLength, StandardCharsets.UTF_8);
            if (status != 200 || indexOf(head, headLength, RESULT) < 0) {
                throw new IOException("HTTP " + status + ", not a JSON-RPC result: " + start
                        + (indexOf(head, headLength, ERROR) >= 0 ? "…" : ""));
            }
            if (text != null) {
                counted = occurrences(text, count);
            }
            if (close) {
                throw new IOException("the server closed the kept-alive connection");
            }
        }

        /** Consumes {@code n} body bytes, keeping the first few (and all of them when counting). */
        private void body(long n, StringBuilder text) throws IOException {
            bytes += n;
            while (n > 0) {
                if (!in.hasRemaining()) {
                    fill();
                }
                int take = (int) Math.min(n, in.remaining());
                int keep = Math.min(take, HEAD_OF_BODY - headLength);
                if (keep > 0) {
                    in.get(in.position(), head, headLength, keep);
                    headLength += keep;
                }
                if (text != null) {
                    text.append(new String(in.array(), in.arrayOffset() + in.position(), take,
                            StandardCharsets.ISO_8859_1));
                }
                in.position(in.position() + take);
                n -= take;
            }
        }

        private String readLine() throws IOException {
            while (true) {
                for (int i = in.position(); i + 1 < in.limit(); i++) {
                    if (in.get(i) == '\r' && in.get(i + 1) == '\n') {
                        String line = new String(in.array(), in.arrayOffset() + in.position(), i - in.position(),
                                StandardCharsets.ISO_8859_1);
                        in.position(i + 2);
                        return line;
                    }
                }
                fill();
            }
        }

        private void fill() throws IOException {
            in.compact();
            if (!in.hasRemaining()) {
                ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
                in.flip();
                bigger.put(in);
                in = bigger;
            }
            int n = channel.read(in);
            in.flip();
            if (n < 0) {
                throw new EOFException("the server closed the connection");
            }
        }

        private static int indexOf(byte[] data, int length, byte[] what) {
            outer:
            for (int i = 0; i + what.length <= length; i++) {
                for (int k = 0; k < what.length; k++) {
                    if (data[i + k] != what[k]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        private static long occurrences(CharSequence text, String what) {
            String s = text.toString();
            long n = 0;
            for (int at = s.indexOf(what); at >= 0; at = s.indexOf(what, at + what.length())) {
                n++;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
