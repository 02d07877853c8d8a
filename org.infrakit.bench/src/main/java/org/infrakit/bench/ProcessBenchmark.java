package org.infrakit.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.infrakit.bench.RuntimeLauncher.Variant;
import org.infrakit.rpc.client.JsonRpcClient;
import org.infrakit.rpc.message.GroupMessages;

/**
 * The headline figures: the runtime started as users start it ({@code bin/infrakit-runtime}, its
 * shipped JVM options and class-data archive), driven by {@link LoadClient} in a process of its own.
 * The same runtime with the JVM's default options runs in the same benchmark, its sessions
 * interleaved with the shipped ones, as the comparison within one run.
 */
final class ProcessBenchmark implements Benchmark {
    static final String HANDSHAKE = "Handshake.Implements";
    static final String PROVISION = "Instance.Provision";
    /** A cattle instance as a group would provision it, tagged so that a person can tell it apart. */
    static final String PROVISION_PARAMS = "{\"Type\":\"\",\"Spec\":{\"Properties\":{\"Note\":\"benchmark\"},"
            + "\"Tags\":{\"bench\":\"provision\",\"tier\":\"web\"},\"Init\":\"echo hello\",\"LogicalID\":null,"
            + "\"Attachments\":null}}";
    /** The socket the handshake figures are measured on: every plugin's handshake is the bridge's. */
    static final String HANDSHAKE_SOCKET = "flavor-vanilla";

    /**
     * @param rounds how many times each variant is started (the two alternate)
     * @param runs timed runs of each load per start
     * @param warmupCalls handshake calls before the timed runs (a tenth as many provisions)
     * @param sequentialCalls handshake calls per sequential run
     * @param clients concurrent connections of the concurrent runs
     * @param callsPerClient handshake calls per connection per concurrent run
     * @param provisionCalls provisions per sequential run
     * @param provisionsPerClient provisions per connection per concurrent run
     * @param groupSize the group committed through the group socket
     * @param settle the wait before a memory reading
     * @param timeout the longest wait for anything
     */
    record Settings(int rounds, int runs, int warmupCalls, int sequentialCalls, int clients, int callsPerClient,
            int provisionCalls, int provisionsPerClient, int groupSize, Duration settle, Duration timeout) {
        /** @return the figures of the report */
        static Settings defaults() {
            return new Settings(3, 1, 20_000, 20_000, 16, 2_000, 2_000, 300, 1_000, Duration.ofSeconds(1),
                    Duration.ofSeconds(60));
        }

        /** @return a few calls, to check the harness */
        static Settings quick() {
            return new Settings(1, 1, 200, 200, 2, 50, 50, 20, 10, Duration.ofMillis(100), Duration.ofSeconds(60));
        }
    }

    private final Settings settings;
    private final Path root;

    /**
     * @param settings how much to measure
     * @param root the repository root (where {@code bin/infrakit-runtime} is)
     */
    ProcessBenchmark(Settings settings, Path root) {
        this.settings = settings;
        this.root = root;
    }

    @Override
    public String id() {
        return "process";
    }

    @Override
    public String title() {
        return "Runtime process, driven from another process";
    }

    @Override
    public Kind kind() {
        return Kind.HEADLINE;
    }

    /** Samples per figure key, in the order the figures are reported. */
    private static final class Samples {
        final Map<String, List<Double>> byKey = new LinkedHashMap<>();

        void add(String key, double value) {
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }

        double[] of(String key) {
            List<Double> l = byKey.getOrDefault(key, List.of());
            return l.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    @Override
    public Outcome run() throws Exception {
        Settings s = settings;
        List<Variant> variants = List.of(Variant.SHIPPED, Variant.JVM_DEFAULTS);
        Map<Variant, Samples> samples = new LinkedHashMap<>();
        variants.forEach(v -> samples.put(v, new Samples()));
        String shippedOpts;
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, new NamedThreads("bench-process"));
        timer.setRemoveOnCancelPolicy(true);
        try (RuntimeLauncher launcher = new RuntimeLauncher(root);
                ScratchDir scratch = new ScratchDir("ikbench-process");
                LoadClientProcess client = LoadClientProcess.start();
                SocketProbe probe = new SocketProbe()) {
            shippedOpts = launcher.shippedOptions();
            for (int r = 0; r < s.rounds(); r++) {
                for (Variant v : variants) {
                    Progress.say("process: round " + (r + 1) + " of " + s.rounds() + ", " + v.label());
                    Path home = scratch.dir("home-" + r + "-" + (v == Variant.SHIPPED ? "shipped" : "defaults"));
                    session(launcher, v, home, client, probe, timer, samples.get(v));
                    ScratchDir.delete(home);
                }
            }
        } finally {
            timer.shutdownNow();
        }
        Samples shipped = samples.get(Variant.SHIPPED);
        Samples defaults = samples.get(Variant.JVM_DEFAULTS);
        String runs = s.rounds() * s.runs() + (s.rounds() * s.runs() == 1 ? " run" : " runs");
        String starts = s.rounds() + (s.rounds() == 1 ? " start" : " starts");
        String hs1 = HANDSHAKE + ", 1 client";
        String hsN = HANDSHAKE + ", " + s.clients() + " clients";
        String pr1 = PROVISION + " (file plugin), 1 client";
        String prN = PROVISION + " (file plugin), " + s.clients() + " clients";
        String size = String.format(Locale.ROOT, "%,d", s.groupSize());
        List<Figure> figures = new ArrayList<>();
        Builder b = new Builder(figures, shipped, defaults);
        b.add("hs1.rate", hs1, "calls/s", Unit.CALLS_PER_SECOND, runs, Target.atLeast(25_000));
        b.add("hs1.p50", hs1, "p50 latency", Unit.MICROS, runs, Target.atMost(40));
        b.add("hs1.p99", hs1, "p99 latency", Unit.MICROS, runs, null);
        b.add("hsN.rate", hsN, "calls/s (all clients)", Unit.CALLS_PER_SECOND, runs, Target.atLeast(50_000));
        b.add("hsN.p99", hsN, "p99 latency", Unit.MICROS, runs, null);
        b.add("pr1.rate", pr1, "calls/s", Unit.CALLS_PER_SECOND, runs, Target.atLeast(2_500));
        b.add("pr1.p50", pr1, "p50 latency", Unit.MICROS, runs, null);
        b.add("prN.rate", prN, "calls/s (all clients)", Unit.CALLS_PER_SECOND, runs, Target.atLeast(6_500));
        b.add("prN.p99", prN, "p99 latency", Unit.MICROS, runs, null);
        b.add("group", "New group of " + size + " file instances over the group socket",
                "CommitGroup to " + size + " tagged files", Unit.SECONDS, starts, Target.atMost(0.25));
        b.add("startup", "Start-up, `bin/infrakit-runtime`", "spawn to the 3 default sockets answering",
                Unit.SECONDS, starts, Target.atMost(0.5));
        b.add("rssIdle", "Resident memory (VmRSS)", "idle, after start-up", Unit.MEBIBYTES, starts,
                Target.atMost(96));
        b.add("rssAfter", "Resident memory (VmRSS)", "after the RPC runs and the group of " + size, Unit.MEBIBYTES,
                starts, Target.atMost(128));

        List<String> method = new ArrayList<>();
        method.add(String.format(Locale.ROOT, "The runtime: `bin/infrakit-runtime` with `INFRAKIT_SKIP_BUILD=1`, a "
                + "new `INFRAKIT_HOME` under /tmp per start and standard input from /dev/null (headless, as a "
                + "service), so with the script's JVM options (`%s`) and its class-data archive, made by a first "
                + "untimed start and copied into every later home. Started %d times with the shipped options and "
                + "%d times with `INFRAKIT_JAVA_OPTS=` (the JVM's defaults: tiered JIT with C2, G1), alternating; "
                + "the last column is the median of those.", shippedOpts, s.rounds(), s.rounds()));
        method.add("The client: `org.infrakit.bench.LoadClient` in a JVM of its own (`java -cp <bench class path>`, "
                + "no options, so the full JIT), started once and kept warm for every session. It is a floor, not a "
                + "full HTTP client: one JDK unix `SocketChannel` per connection kept alive, one thread each, the "
                + "request bytes built per call (only the JSON-RPC id changes), and the reply read just far enough "
                + "to check its status, its length (Content-Length or chunked) and that it is a `result`.");
        method.add(String.format(Locale.ROOT, "Per start, after %,d `%s` calls (one connection, then %d) and %,d "
                + "provisions of warm-up, %d timed run(s) of each: `%s` on the `%s` socket, %,d calls on one "
                + "connection, then %d connections × %,d calls; `%s` on the `instance-file` socket (the file "
                + "plugin, `%s`), %,d calls on one connection, then %d connections × %,d. Calls/s is all calls "
                + "over the wall time of the run; every call is timed on its own for the percentiles; the table "
                + "shows the median over all runs.", s.warmupCalls(), HANDSHAKE, s.clients(),
                Math.max(1, s.warmupCalls() / 10), s.runs(), HANDSHAKE, HANDSHAKE_SOCKET, s.sequentialCalls(),
                s.clients(), s.callsPerClient(), PROVISION, PROVISION_PARAMS, s.provisionCalls(), s.clients(),
                s.provisionsPerClient()));
        method.add("Every acknowledged provision is checked to be a file in `instances/` after the runs; the files "
                + "are then removed from outside (the plugin's directory watch sees that) before the group.");
        method.add(String.format(Locale.ROOT, "Group: `Group.CommitGroup` of %s instances (`instance-file`, "
                + "`flavor-vanilla`) over the `group` socket; timed from just before the call until a listing of "
                + "`instances/` (every 10 ms) shows exactly %s files, each with the group's tags.", size, size));
        method.add("Start-up: from just before the script is spawned until `group`, `instance-file` and "
                + "`flavor-vanilla` in `plugins/` each answered `Plugin.Implements` (polled every 2 ms from the "
                + "benchmark's JVM).");
        method.add(String.format(Locale.ROOT, "Resident memory: `VmRSS` of `/proc/<pid>/status` of the runtime's "
                + "JVM, %s after the sockets answered (idle), and %s after the RPC runs and the group converged.",
                GroupBenchmark.duration(s.settle()), GroupBenchmark.duration(s.settle())));
        method.add("The client, the benchmark and the runtime share the machine's cores: with 16 connections the "
                + "client's own threads compete with the server for them, as a user's clients on the same host "
                + "would.");
        return new Outcome(figures, method, List.of());
    }

    /** Turns the samples of both variants into figures with their comparison. */
    private record Builder(List<Figure> figures, Samples shipped, Samples defaults) {
        void add(String key, String benchmark, String measure, Unit unit, String runs, Target target) {
            double[] own = shipped.of(key);
            double[] base = defaults.of(key);
            figures.add(new Figure(benchmark, measure, unit, own, runs, target,
                    base.length == 0 ? null : new Figure.Comparison(Variant.JVM_DEFAULTS.label(), base)));
        }
    }

    private void session(RuntimeLauncher launcher, Variant v, Path home, LoadClientProcess client,
            SocketProbe probe, ScheduledThreadPoolExecutor timer, Samples out) throws Exception {
        Settings s = settings;
        try (RuntimeProcess rt = launcher.start(v, home, "", s.timeout())) {
            out.add("startup", RuntimeLauncher.awaitSockets(rt, probe, s.timeout()) / 1e9);
            Thread.sleep(s.settle().toMillis());
            out.add("rssIdle", rt.residentKiB() / 1024.0);

            Path hs = rt.plugins().resolve(HANDSHAKE_SOCKET);
            Path files = rt.plugins().resolve("instance-file");
            int warmProvisions = Math.max(1, s.warmupCalls() / 10);
            client.run(hs, HANDSHAKE, "{}", 1, s.warmupCalls(), null);
            client.run(hs, HANDSHAKE, "{}", s.clients(), Math.max(1, s.warmupCalls() / s.clients()), null);
            client.run(files, PROVISION, PROVISION_PARAMS, 1, warmProvisions, null);
            long provisioned = warmProvisions;
            for (int r = 0; r < s.runs(); r++) {
                LoadClientProcess.Load seq = client.run(hs, HANDSHAKE, "{}", 1, s.sequentialCalls(), null);
                out.add("hs1.rate", seq.callsPerSecond());
                out.add("hs1.p50", seq.p50Nanos() / 1e3);
                out.add("hs1.p99", seq.p99Nanos() / 1e3);
                LoadClientProcess.Load conc = client.run(hs, HANDSHAKE, "{}", s.clients(), s.callsPerClient(), null);
                out.add("hsN.rate", conc.callsPerSecond());
                out.add("hsN.p99", conc.p99Nanos() / 1e3);
                LoadClientProcess.Load p1 = client.run(files, PROVISION, PROVISION_PARAMS, 1, s.provisionCalls(),
                        null);
                out.add("pr1.rate", p1.callsPerSecond());
                out.add("pr1.p50", p1.p50Nanos() / 1e3);
                LoadClientProcess.Load pN = client.run(files, PROVISION, PROVISION_PARAMS, s.clients(),
                        s.provisionsPerClient(), null);
                out.add("prN.rate", pN.callsPerSecond());
                out.add("prN.p99", pN.p99Nanos() / 1e3);
                provisioned += p1.calls() + pN.calls();
            }
            Path instances = home.resolve("instances");
            List<String> names = InstanceFiles.names(instances);
            if (names.size() != provisioned) {
                throw new IllegalStateException(String.format(Locale.ROOT, "%,d provisions acknowledged, %,d "
                        + "instance files in %s", provisioned, names.size(), instances));
            }
            for (String n : names) {
                Files.delete(instances.resolve(n));
            }

            long t0 = System.nanoTime();
            try (JsonRpcClient c = new JsonRpcClient(rt.plugins().resolve("group"), s.timeout().toMillis(), timer,
                    false)) {
                c.call("Group.CommitGroup", new GroupMessages.CommitGroupRequest(
                        GroupBenchmark.spec(s.groupSize(), "v1"), false), GroupMessages.CommitGroupResponse.class);
            }
            try {
                out.add("group", GroupBenchmark.awaitGroup(instances, s.groupSize(), "v1", t0, s.timeout(), 10)
                        / 1e9);
            } catch (IllegalStateException e) {
                throw new IllegalStateException(e.getMessage() + "; " + rt.consoleTail(), e);
            }
            Thread.sleep(s.settle().toMillis());
            out.add("rssAfter", rt.residentKiB() / 1024.0);
        }
    }
}
