package org.infrakit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.infrakit.rpc.client.JsonRpcClient;
import org.infrakit.rpc.message.GroupMessages;

/**
 * The exported runtime jar as users start it, as a process: start-up to the three default sockets
 * answering, resident memory idle and with a group of instances, and hot deployment through the
 * deploy folder (a configuration file, and the example plugin bundle when the reactor has built it).
 */
final class RuntimeBenchmark implements Benchmark {
    static final List<String> DEFAULT_SOCKETS = List.of("group", "instance-file", "flavor-vanilla");
    /**
     * FileInstall 3.7.4 reads {@code <factory pid>-<name>.cfg} as the factory configuration
     * {@code <factory pid>~<name>}; a file named with the {@code ~} is ignored.
     */
    private static final String CFG_NAME = "org.infrakit.instance.file-bench.cfg";
    private static final String CFG_PLUGIN = "instance-file-bench";

    /**
     * @param sessions how many times the runtime is started (each session measures every figure once)
     * @param groupSize the group committed through the group socket
     * @param settle the wait before a memory reading
     * @param timeout the longest wait for anything
     */
    record Settings(int sessions, int groupSize, Duration settle, Duration timeout) {
        /** @return the figures of the report */
        static Settings defaults() {
            return new Settings(2, 1_000, Duration.ofSeconds(1), Duration.ofSeconds(60));
        }

        /** @return one short session, to check the harness */
        static Settings quick() {
            return new Settings(1, 10, Duration.ofMillis(100), Duration.ofSeconds(60));
        }
    }

    private final Settings settings;
    private final Path jar;
    private final Path root;

    /**
     * @param settings how much to measure
     * @param jar the runtime jar ({@code run/target/infrakit.jar})
     * @param root the repository root, where the example plugin bundle is looked for
     */
    RuntimeBenchmark(Settings settings, Path jar, Path root) {
        this.settings = settings;
        this.jar = jar;
        this.root = root;
    }

    @Override
    public String id() {
        return "runtime";
    }

    @Override
    public String title() {
        return "Diagnostic: launch baselines and the deploy folder";
    }

    /** What one session measured. */
    private record Session(double startupSeconds, double idleMiB, double groupSeconds, double groupMiB,
            double cfgDropMillis, double jarDropMillis, String exampleSocket, List<String> jvmCommand) {
    }

    @Override
    public Outcome run() throws Exception {
        Settings s = settings;
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the runtime jar " + jar + " does not exist; build it first "
                    + "(mvn -B -ntp -DskipTests install)");
        }
        Path script = root.resolve("bin/infrakit-runtime");
        boolean viaScript = Files.isExecutable(script);
        List<String> command = viaScript ? List.of(script.toString()) : RuntimeProcess.plainCommand(jar);
        Map<String, String> env = viaScript ? Map.of("INFRAKIT_SKIP_BUILD", "1") : Map.of();
        Path example = exampleBundle(root);
        int n = s.sessions();
        double[] startup = new double[n];
        double[] rssIdle = new double[n];
        double[] group = new double[n];
        double[] rssGroup = new double[n];
        double[] cfgDrop = new double[n];
        double[] jarDrop = new double[n];
        double[] plainStartup = new double[n];
        double[] plainRss = new double[n];
        Session last = null;
        String lastHome = null;
        boolean primed = false;
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                new NamedThreads("bench-runtime-deadline"));
        timer.setRemoveOnCancelPolicy(true);
        try (ScratchDir scratch = new ScratchDir("ikbench-runtime"); SocketProbe probe = new SocketProbe()) {
            Path prime = scratch.dir("prime");
            if (viaScript) {
                // What the launch script keeps between starts (its class-data archive) is made by a
                // first start; every session below starts with a copy, as any later start would.
                Progress.say("runtime: a first start, untimed");
                try (RuntimeProcess rt = RuntimeProcess.start(command, prime, env)) {
                    awaitSockets(rt, probe, s.timeout());
                }
                primed = Files.isDirectory(prime.resolve("cds"));
            }
            for (int i = 0; i < n; i++) {
                Progress.say("runtime: session " + (i + 1) + " of " + n);
                Path home = scratch.dir("home-" + i);
                if (primed) {
                    copyTree(prime.resolve("cds"), home.resolve("cds"));
                }
                last = session(command, env, home, scratch.dir("staging-" + i), example, probe, timer);
                lastHome = home.toString();
                startup[i] = last.startupSeconds();
                rssIdle[i] = last.idleMiB();
                group[i] = last.groupSeconds();
                rssGroup[i] = last.groupMiB();
                cfgDrop[i] = last.cfgDropMillis();
                jarDrop[i] = last.jarDropMillis();
                ScratchDir.delete(home);
                ScratchDir.delete(scratch.path().resolve("staging-" + i));
                if (viaScript) {
                    // interleaved with the sessions, so that changing machine load touches both alike
                    Path plain = scratch.dir("plain-" + i);
                    try (RuntimeProcess rt = RuntimeProcess.start(RuntimeProcess.plainCommand(jar), plain, Map.of())) {
                        plainStartup[i] = awaitSockets(rt, probe, s.timeout()) / 1e9;
                        Thread.sleep(s.settle().toMillis());
                        plainRss[i] = rt.residentKiB() / 1024.0;
                    }
                    ScratchDir.delete(plain);
                }
            }
        } finally {
            timer.shutdownNow();
        }
        String runs = n + (n == 1 ? " run" : " runs");
        String size = String.format(Locale.ROOT, "%,d", s.groupSize());
        String launch = viaScript ? "`bin/infrakit-runtime`" : "`java -jar`";
        List<Figure> figures = new ArrayList<>();
        figures.add(new Figure("Runtime start-up, " + launch, "JVM start to the 3 default sockets answering",
                Unit.SECONDS, startup, runs, null));
        if (viaScript) {
            // the target is the README's run command's; this shows what its options and archive save
            figures.add(new Figure("Runtime start-up, plain `java -jar` (baseline)", "JVM start to the 3 default "
                    + "sockets answering", Unit.SECONDS, plainStartup, runs, null));
        }
        figures.add(new Figure("Runtime resident memory, " + launch, "idle, after start-up", Unit.MEBIBYTES, rssIdle,
                runs, null));
        if (viaScript) {
            figures.add(new Figure("Runtime resident memory, plain `java -jar`", "idle, after start-up",
                    Unit.MEBIBYTES, plainRss, runs, null));
        }
        figures.add(new Figure("Runtime resident memory, " + launch, "after a group of " + size + " converged",
                Unit.MEBIBYTES, rssGroup, runs, null));
        figures.add(new Figure("Runtime, new group of " + size + " over the group socket",
                "CommitGroup to all files tagged", Unit.SECONDS, group, runs, null));
        figures.add(new Figure("Deploy folder, `.cfg` dropped", "move into deploy/ to its socket answering",
                Unit.MILLIS, cfgDrop, runs, Target.below(500)));
        List<String> notes = new ArrayList<>();
        if (example != null) {
            figures.add(new Figure("Deploy folder, example plugin bundle dropped",
                    "move into deploy/ to its socket answering", Unit.MILLIS, jarDrop, runs, Target.below(500)));
        } else {
            notes.add("No example plugin bundle was found (a jar in examples/*/target/), so dropping a bundle jar "
                    + "into deploy/ was not measured.");
        }
        List<String> method = new ArrayList<>();
        if (viaScript) {
            method.add(String.format(Locale.ROOT, "The runtime is started %s as users start it, with "
                    + "`bin/infrakit-runtime` (`INFRAKIT_SKIP_BUILD=1`, standard input an open pipe, so headless), "
                    + "which ran: `%s`. Each start has a new `INFRAKIT_HOME` under /tmp (working directory, new "
                    + "framework cache)%s.", times(n), shown(last.jvmCommand(), lastHome),
                    primed ? "; it holds a copy of the `cds/` directory a first, untimed start left behind, as "
                            + "any start after the first has" : ""));
            method.add("Baseline: after each of them, one start with plain `java -jar run/target/infrakit.jar` "
                    + "(the benchmark's JDK, no options, a new home), start-up and idle memory only. The start-up "
                    + "target is the README's run command's; the baseline shows what its JVM options and class "
                    + "data archive save.");
        } else {
            method.add(String.format(Locale.ROOT, "`java -jar run/target/infrakit.jar` (the benchmark's JDK, no "
                    + "options) started %s, each with a new `INFRAKIT_HOME` under /tmp as working directory, "
                    + "standard input an open pipe.", times(n)));
        }
        method.add("Start-up: from just before the process is spawned until `group`, `instance-file` and "
                + "`flavor-vanilla` in `plugins/` each answered `Plugin.Implements` (polled every 2 ms with "
                + "the bridge's client).");
        method.add(String.format(Locale.ROOT, "Resident memory: `VmRSS` of `/proc/<pid>/status`, %s after the "
                + "sockets answered, and %s after a group of %s instances (`instance-file`, `flavor-vanilla`), "
                + "committed with `Group.CommitGroup` over the group socket, had all its files in `instances/` "
                + "with the right tags (that time is also shown).", GroupBenchmark.duration(s.settle()),
                GroupBenchmark.duration(s.settle()), size));
        method.add("Deploy folder (measured while that group is managed): `" + CFG_NAME + "` (`name=" + CFG_PLUGIN
                + "` and a `dir`; FileInstall makes it the factory configuration "
                + "`org.infrakit.instance.file~bench`) written outside `deploy/`, then moved in atomically; timed "
                + "from the move until the socket `" + CFG_PLUGIN + "` answers. FileInstall polls every 250 ms, "
                + "so on average about 125 ms of the figure is the poll's own wait.");
        if (example != null) {
            method.add("Example bundle: `" + root.relativize(example) + "` copied outside `deploy/`, then moved in "
                    + "atomically; timed until a new socket (`" + last.exampleSocket() + "`) answers "
                    + "`Plugin.Implements`.");
        }
        return new Outcome(figures, method, notes);
    }

    /** One start of the runtime: start-up, memory, a group over the socket, two drops into deploy/. */
    private Session session(List<String> command, Map<String, String> env, Path home, Path staging, Path example,
            SocketProbe probe, ScheduledExecutorService timer) throws Exception {
        Settings s = settings;
        try (RuntimeProcess rt = RuntimeProcess.start(command, home, env)) {
            double startup = awaitSockets(rt, probe, s.timeout()) / 1e9;
            List<String> jvm = rt.commandLine();

            Thread.sleep(s.settle().toMillis());
            double idle = rt.residentKiB() / 1024.0;

            long t0 = System.nanoTime();
            try (JsonRpcClient client = new JsonRpcClient(rt.plugins().resolve("group"), s.timeout().toMillis(),
                    timer, false)) {
                client.call("Group.CommitGroup", new GroupMessages.CommitGroupRequest(
                        GroupBenchmark.spec(s.groupSize(), "v1"), false), GroupMessages.CommitGroupResponse.class);
            }
            double group = wrap(rt, () -> GroupBenchmark.awaitGroup(home.resolve("instances"), s.groupSize(), "v1",
                    t0, s.timeout(), 10)) / 1e9;
            Thread.sleep(s.settle().toMillis());
            double withGroup = rt.residentKiB() / 1024.0;

            Path cfg = staging.resolve(CFG_NAME);
            Files.writeString(cfg, "name=" + CFG_PLUGIN + "\ndir=" + home.resolve("bench-instances") + "\n",
                    StandardCharsets.UTF_8);
            long t1 = System.nanoTime();
            Files.move(cfg, rt.deploy().resolve(CFG_NAME), StandardCopyOption.ATOMIC_MOVE);
            double cfgDrop = wrap(rt, () -> probe.awaitAll(List.of(rt.plugins().resolve(CFG_PLUGIN)), t1,
                    s.timeout())) / 1e6;

            double jarDrop = 0;
            String exampleSocket = null;
            if (example != null) {
                Set<String> before = SocketProbe.names(rt.plugins());
                Path copy = staging.resolve(example.getFileName());
                Files.copy(example, copy);
                long t2 = System.nanoTime();
                Files.move(copy, rt.deploy().resolve(example.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                SocketProbe.NewSocket answered = wrap(rt, () -> probe.awaitNew(rt.plugins(), before, t2,
                        s.timeout()));
                jarDrop = answered.nanos() / 1e6;
                exampleSocket = answered.name();
            }
            return new Session(startup, idle, group, withGroup, cfgDrop, jarDrop, exampleSocket, jvm);
        }
    }

    /** A command line for the report: repository paths relative, the session's home as $INFRAKIT_HOME. */
    private String shown(List<String> command, String home) {
        List<String> out = new ArrayList<>();
        for (String a : command) {
            String t = home == null ? a : a.replace(home, "$INFRAKIT_HOME");
            out.add(t.replace(root + "/", ""));
        }
        if (!out.isEmpty()) {
            out.set(0, Path.of(out.get(0)).getFileName().toString());
        }
        return out.isEmpty() ? "(not known)" : String.join(" ", out);
    }

    private static String times(int n) {
        return n == 1 ? "once" : n + " times";
    }

    private static long awaitSockets(RuntimeProcess rt, SocketProbe probe, Duration timeout) throws Exception {
        List<Path> sockets = DEFAULT_SOCKETS.stream().map(rt.plugins()::resolve).toList();
        return wrap(rt, () -> probe.awaitAll(sockets, rt.startNanos(), timeout));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** Runs a wait and adds the runtime's last console lines to its failure. */
    private static <T> T wrap(RuntimeProcess rt, Wait<T> wait) throws Exception {
        try {
            return wait.run();
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; " + rt.consoleTail(), e);
        }
    }

    @FunctionalInterface
    private interface Wait<T> {
        T run() throws Exception;
    }

    /**
     * @param root the repository root
     * @return the first plugin bundle jar built under {@code examples/<module>/target/}, or {@code null}
     * @throws IOException when a directory cannot be listed
     */
    static Path exampleBundle(Path root) throws IOException {
        Path examples = root.resolve("examples");
        if (!Files.isDirectory(examples)) {
            return null;
        }
        TreeSet<Path> jars = new TreeSet<>();
        try (DirectoryStream<Path> modules = Files.newDirectoryStream(examples, Files::isDirectory)) {
            for (Path module : modules) {
                Path target = module.resolve("target");
                if (!Files.isDirectory(target)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(target, "*.jar")) {
                    for (Path f : files) {
                        String name = f.getFileName().toString();
                        if (name.startsWith(module.getFileName().toString()) && !name.endsWith("-sources.jar")
                                && !name.endsWith("-javadoc.jar") && !name.endsWith("-tests.jar")) {
                            jars.add(f);
                        }
                    }
                }
            }
        }
        return jars.isEmpty() ? null : jars.first();
    }
}
