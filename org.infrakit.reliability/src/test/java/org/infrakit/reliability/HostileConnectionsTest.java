package org.infrakit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * 2,000 hostile connections against the real runtime process ({@link RuntimeJar}, 256 MiB heap):
 * half send request headers declaring a 4 MB body and then a byte every second, half send their
 * headers a byte at a time. Meanwhile a good client keeps calling: every call is answered (within
 * {@link #ANSWER_DEADLINE}), the runtime's resident memory stays bounded, during and after (before
 * the body buffer grew with what arrived, a thousand 4 MB declarations were 4 GB of heap), and the
 * read deadline cuts every hostile connection. The figures go to the reliability report.
 */
class HostileConnectionsTest {
    static final int HOSTILE = 2_000;
    static final Duration ANSWER_DEADLINE = Duration.ofSeconds(5);
    /** The runtime's read deadline in this test (read.deadline), shorter than the default to keep it quick. */
    static final long READ_DEADLINE_MS = 6_000;
    /** Resident memory the hostile connections may add; they cost a few KiB each, so this is far above. */
    static final long RSS_GROWTH_BOUND = 192L << 20;

    private Path home;
    private RuntimeJar runtime;
    private final List<SocketChannel> hostile = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        hostile.forEach(HostileConnectionsTest::close);
        if (runtime != null) {
            runtime.close();
        }
        TempDirs.delete(home);
    }

    @Test
    void aGoodClientIsAnsweredAndMemoryStaysBoundedWhile2000HostileConnectionsAreOpen() throws Exception {
        assertThat(Path.of("/proc/self/status")).as("resident memory is read from /proc").exists();
        home = TempDirs.create();
        Files.createDirectories(home.resolve("deploy"));
        Files.writeString(home.resolve("deploy").resolve("org.infrakit.rpc.cfg"),
                "read.deadline=" + READ_DEADLINE_MS + "ms\n", StandardCharsets.UTF_8);
        runtime = RuntimeJar.start(home, Scale.outDir().resolve("reliability-hostile.log"));
        runtime.awaitServing(Duration.ofSeconds(90));
        Path socket = runtime.plugins().resolve(PluginHost.GROUP);
        long worstBefore = goodCalls(socket, 20);
        gc();
        long before = rss(runtime.pid());
        int threadsBefore = threads(runtime.pid());

        byte[] bodyHead = ("POST / HTTP/1.1\r\nHost: rpc\r\nContent-Type: application/json\r\n"
                + "Content-Length: 4000000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII);
        byte[] slowHead = "POST / HTTP/1.1\r\nHost: rpc\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
        long opened = System.nanoTime();
        for (int i = 0; i < HOSTILE; i++) {
            SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
            c.connect(UnixDomainSocketAddress.of(socket));
            c.write(ByteBuffer.wrap(i % 2 == 0 ? bodyHead : slowHead));
            hostile.add(c);
        }
        // trickle a byte on each, and call as a good client, until shortly before the deadline
        long worstDuring = 0;
        long peak = rss(runtime.pid());
        int goodDuring = 0;
        long trickleUntil = opened + TimeUnit.MILLISECONDS.toNanos(READ_DEADLINE_MS - 2_000);
        while (System.nanoTime() < trickleUntil) {
            for (SocketChannel c : hostile) {
                try {
                    c.write(ByteBuffer.wrap(new byte[] {'x'}));
                } catch (IOException e) {
                    // cut already: fine
                }
            }
            worstDuring = Math.max(worstDuring, goodCalls(socket, 5));
            goodDuring += 5;
            peak = Math.max(peak, rss(runtime.pid()));
        }
        int stillOpenBeforeDeadline = open(hostile);

        // the read deadline cuts every hostile connection
        Poll.until(Duration.ofMillis(READ_DEADLINE_MS + 15_000), () -> {
            int n = open(hostile);
            return n == 0 ? null : n + " hostile connections still open";
        }, "the read deadline to cut every hostile connection");
        long cutAfterMs = (System.nanoTime() - opened) / 1_000_000;
        hostile.forEach(HostileConnectionsTest::close);
        hostile.clear();
        long worstAfter = goodCalls(socket, 20);
        int threadsAfterFlood = threads(runtime.pid());
        // the server's pool threads that served the flood die after 10 s idle
        Thread.sleep(12_000);
        gc();
        long after = rss(runtime.pid());
        int threadsAfter = threads(runtime.pid());

        ReportFile.section("Hostile connections", String.format(Locale.ROOT,
                "# %s: %d hostile connections (half: 4 MB declared, a byte a second; half: headers a byte a"
                        + " second) against the runtime process (-Xmx256m), read.deadline=%dms%n"
                        + "resident memory: before %.1f MiB, during (peak) %.1f MiB, after %.1f MiB%n"
                        + "good client: %d calls during, worst latency %.1f ms (before %.1f ms, after %.1f ms)%n"
                        + "hostile connections open %d s after the first: %d of %d; all cut after %d ms%n"
                        + "runtime threads: %d before, %d right after the flood, %d after (pool threads die after"
                        + " 10 s idle)%n",
                Instant.now(), HOSTILE, READ_DEADLINE_MS, before / 1048576.0, peak / 1048576.0, after / 1048576.0,
                goodDuring, worstDuring / 1e6, worstBefore / 1e6, worstAfter / 1e6,
                (READ_DEADLINE_MS - 2_000) / 1000, stillOpenBeforeDeadline, HOSTILE, cutAfterMs, threadsBefore,
                threadsAfterFlood, threadsAfter));
        assertThat(stillOpenBeforeDeadline).as("hostile connections held open until the deadline").isEqualTo(HOSTILE);
        assertThat(peak - before).as("resident memory added by %d hostile connections", HOSTILE)
                .isLessThan(RSS_GROWTH_BOUND);
        // bounded afterwards too; it does not drop back to where it was: the JVM keeps the heap it
        // committed and the C library the memory its per-thread arenas took (see the report)
        assertThat(after - before).as("resident memory added, after the hostile connections are gone (peak %d)",
                peak).isLessThan(RSS_GROWTH_BOUND);
        assertThat(runtime.output().lines().filter(l -> l.contains("did not arrive whole within")).count())
                .as("lines saying that connections were cut (one, then at most one every 10 s)").isBetween(1L, 3L);
    }

    /** @return the worst latency of {@code n} calls, in nanoseconds, each answered within the deadline */
    private static long goodCalls(Path socket, int n) throws IOException {
        long worst = 0;
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            Http.Raw raw = Http.exchange(socket, Http.post(
                    "{\"jsonrpc\":\"2.0\",\"method\":\"Group.InspectGroups\",\"params\":{},\"id\":1}"), ANSWER_DEADLINE);
            long took = System.nanoTime() - t0;
            assertThat(raw.closedByPeer()).as("a good call answered within %s", ANSWER_DEADLINE).isTrue();
            assertThat(raw.reply().status()).isEqualTo(200);
            worst = Math.max(worst, took);
        }
        return worst;
    }

    /** @return how many of the channels the server has not closed (a read finds no end of stream) */
    private static int open(List<SocketChannel> channels) {
        int n = 0;
        ByteBuffer b = ByteBuffer.allocate(512);
        for (SocketChannel c : channels) {
            try {
                c.configureBlocking(false);
                b.clear();
                int r = c.read(b);
                while (r > 0) {
                    b.clear();
                    r = c.read(b);
                }
                if (r == 0) {
                    n++;
                }
            } catch (IOException e) {
                // reset by the server: cut
            }
        }
        return n;
    }

    private static void close(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** Asks the runtime for a full collection, so that memory it no longer uses can go back. */
    private void gc() throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (Files.isExecutable(jcmd)) {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(runtime.pid()), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        Thread.sleep(500);
    }

    /** @return the number of threads of a process (Linux: Threads in /proc/pid/status) */
    static int threads(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no Threads for pid " + pid);
    }

    /** @return the resident set size of a process, in bytes (Linux: VmRSS in /proc/pid/status) */
    static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for pid " + pid);
    }
}
