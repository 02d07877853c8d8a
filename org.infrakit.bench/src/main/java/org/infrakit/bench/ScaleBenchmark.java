package org.infrakit.bench;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.infrakit.bench.RuntimeLauncher.Variant;
import org.infrakit.group.impl.GroupTags;
import org.infrakit.rpc.client.JsonRpcClient;
import org.infrakit.rpc.message.GroupMessages;

/**
 * How the runtime's costs grow with the number of instances and of groups, measured on the
 * runtime process (shipped options) from outside: describe, one reconciliation pass, convergence
 * of a new group, resident memory, and many groups at once.
 */
final class ScaleBenchmark implements Benchmark {
    private static final String DESCRIBE = "Instance.DescribeInstances";
    private static final String DESCRIBE_PARAMS = "{\"Type\":\"\",\"Tags\":{\"" + GroupTags.GROUP + "\":\""
            + GroupBenchmark.GROUP + "\"},\"Properties\":false}";
    /** Once per description in a DescribeInstances reply: its {@code ID} member. */
    private static final String ID_MEMBER = "{\"ID\":";

    /**
     * @param sizes the group sizes (instances), growing
     * @param groupCounts how many groups are committed at once, growing
     * @param groupMembers the size of each of those groups
     * @param passes reconciliation passes timed per size
     * @param describeBudget describe calls per size: this many instances' worth, at least 3, at most 50
     * @param settle the wait before a memory reading
     * @param timeout the base of every wait; a convergence gets 2 ms more per instance
     */
    record Settings(long[] sizes, long[] groupCounts, int groupMembers, int passes, long describeBudget,
            Duration settle, Duration timeout) {
        /** @return the figures of the report */
        static Settings defaults() {
            return new Settings(new long[] {1_000, 10_000, 100_000}, new long[] {1, 10, 100}, 100, 3, 200_000,
                    Duration.ofSeconds(1), Duration.ofSeconds(60));
        }

        /** @return tiny sizes, to check the harness */
        static Settings quick() {
            return new Settings(new long[] {10, 100}, new long[] {1, 3}, 5, 1, 200, Duration.ofMillis(100),
                    Duration.ofSeconds(60));
        }
    }

    private final Settings settings;
    private final Path root;

    /**
     * @param settings how much to measure
     * @param root the repository root
     */
    ScaleBenchmark(Settings settings, Path root) {
        this.settings = settings;
        this.root = root;
    }

    @Override
    public String id() {
        return "scale";
    }

    @Override
    public String title() {
        return "How cost grows";
    }

    @Override
    public Kind kind() {
        return Kind.GROWTH;
    }

    @Override
    public Outcome run() throws Exception {
        Settings s = settings;
        int n = s.sizes().length;
        double[] converge = new double[n];
        double[] describe = new double[n];
        double[] pass = new double[n];
        double[] rss = new double[n];
        double[] groups = new double[s.groupCounts().length];
        List<String> notes = new ArrayList<>();
        List<String> removals = new ArrayList<>();
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, new NamedThreads("bench-scale"));
        timer.setRemoveOnCancelPolicy(true);
        try (RuntimeLauncher launcher = new RuntimeLauncher(root);
                ScratchDir scratch = new ScratchDir("ikbench-scale");
                LoadClientProcess client = LoadClientProcess.start();
                SocketProbe probe = new SocketProbe()) {
            for (int i = 0; i < n; i++) {
                long size = s.sizes()[i];
                Path home = scratch.dir("size-" + size);
                Progress.say(String.format(Locale.ROOT, "scale: %,d instances", size));
                double[] r = atSize(launcher, home, size, client, probe, timer);
                converge[i] = r[0];
                describe[i] = r[1];
                pass[i] = r[2];
                rss[i] = r[3];
                long t = System.nanoTime();
                ScratchDir.delete(home);
                double removed = (System.nanoTime() - t) / 1e9;
                removals.add(String.format(Locale.ROOT, "%,d files: %.1f s", size, removed));
                Progress.say(String.format(Locale.ROOT, "scale: %,d instances removed in %.1f s", size, removed));
            }
            for (int i = 0; i < s.groupCounts().length; i++) {
                long count = s.groupCounts()[i];
                Path home = scratch.dir("groups-" + count);
                Progress.say(String.format(Locale.ROOT, "scale: %,d groups of %,d at once", count, s.groupMembers()));
                groups[i] = manyGroups(launcher, home, (int) count, probe, timer);
                ScratchDir.delete(home);
            }
        } finally {
            timer.shutdownNow();
        }
        notes.add("What the largest size costs the run: removing each size's instance files afterwards took "
                + String.join(", ", removals) + " (synced files; not a figure of the runtime, but most of the "
                + "run's duration together with the convergence at the largest size).");
        List<Series> series = List.of(
                new Series("DescribeInstances over the file plugin (the group's tag), p50", "instances", Unit.MILLIS,
                        s.sizes(), describe),
                new Series("One reconciliation pass: CommitGroup N → N+1 to the new tagged file", "instances",
                        Unit.MILLIS, s.sizes(), pass),
                new Series("Convergence of a new group: CommitGroup to N tagged files", "instances", Unit.SECONDS,
                        s.sizes(), converge),
                new Series("Resident memory with the group converged", "instances", Unit.MEBIBYTES, s.sizes(), rss),
                new Series(String.format(Locale.ROOT, "Groups of %,d committed at once, to all files tagged",
                        s.groupMembers()), "groups", Unit.SECONDS, s.groupCounts(), groups));
        List<String> method = new ArrayList<>();
        method.add("Each size runs in a runtime of its own, started with `bin/infrakit-runtime` as in the headline "
                + "section (shipped options, class-data archive, new home, standard input from /dev/null), "
                + "driven from outside: the group socket, the `instance-file` socket (through the load client "
                + "process), the files in `instances/`.");
        method.add("Convergence: `Group.CommitGroup` of a new group of N (`instance-file`, `flavor-vanilla`), timed "
                + "until a listing of `instances/` (every 10 ms) shows exactly N files, each with the group's tags.");
        method.add(String.format(Locale.ROOT, "DescribeInstances: `%s` with `%s` on the `instance-file` socket, "
                + "the way the group plugin asks; one untimed call first, which must describe exactly N instances, "
                + "then %,d instances' worth of calls (3 to 50), p50.", DESCRIBE, DESCRIBE_PARAMS,
                s.describeBudget()));
        method.add(String.format(Locale.ROOT, "One reconciliation pass: with the group converged, `CommitGroup` of "
                + "the same spec with the size one larger; a commit wakes the group's supervisor at once, and its "
                + "pass lists the N members (in the runtime, through the instance plugin's service), finds one "
                + "missing and provisions it. Timed from just before the call until the new file appears in "
                + "`instances/` (an inotify watch, not a poll); its tags are checked. %d pass(es) per size, the "
                + "median. The idle pass that finds nothing to do has no outside effect to time; this one does "
                + "the same listing plus one provision.", s.passes()));
        method.add("Resident memory: `VmRSS` of the runtime's JVM, after the convergence and a settle of "
                + GroupBenchmark.duration(s.settle()) + ".");
        method.add(String.format(Locale.ROOT, "Many groups: in a new runtime, G groups of %,d (`bench-g0` …) "
                + "committed one after the other over one connection to the group socket; timed from just before "
                + "the first commit until `instances/` holds G × %,d files, %,d tagged with each group's ID and the "
                + "spec's hash.", s.groupMembers(), s.groupMembers(), s.groupMembers()));
        method.add("The file plugin writes one file per instance and syncs it: 100,000 instances are 100,000 files "
                + "(about 400 MB of 4 KiB blocks on this file system), written, listed and removed within the run.");
        return new Outcome(List.of(), series, List.of(), method, notes);
    }

    /** @return convergence s, describe p50 ms, one pass ms, resident MiB */
    private double[] atSize(RuntimeLauncher launcher, Path home, long size, LoadClientProcess client,
            SocketProbe probe, ScheduledThreadPoolExecutor timer) throws Exception {
        Settings s = settings;
        Duration converging = s.timeout().plusMillis(2 * size);
        try (RuntimeProcess rt = launcher.start(Variant.SHIPPED, home, "", s.timeout())) {
            RuntimeLauncher.awaitSockets(rt, probe, s.timeout());
            Path instances = home.resolve("instances");
            try (JsonRpcClient group = new JsonRpcClient(rt.plugins().resolve("group"), converging.toMillis(), timer,
                    false)) {
                long t0 = System.nanoTime();
                commit(group, GroupBenchmark.GROUP, size);
                double converge = wrap(rt, () -> GroupBenchmark.awaitGroup(instances, (int) size, "v1", t0, converging,
                        10)) / 1e9;
                Progress.say(String.format(Locale.ROOT, "scale: %,d converged in %.2f s", size, converge));
                Thread.sleep(s.settle().toMillis());
                double rss = rt.residentKiB() / 1024.0;

                Path files = rt.plugins().resolve("instance-file");
                LoadClientProcess.Load first = client.run(files, DESCRIBE, DESCRIBE_PARAMS, 1, 1, ID_MEMBER);
                if (first.count() != size) {
                    throw new IllegalStateException(String.format(Locale.ROOT, "DescribeInstances described %,d "
                            + "instances, not %,d", first.count(), size));
                }
                int calls = (int) Math.max(3, Math.min(50, s.describeBudget() / size));
                double describe = client.run(files, DESCRIBE, DESCRIBE_PARAMS, 1, calls, null).p50Nanos() / 1e6;

                double[] passes = new double[s.passes()];
                Map<String, String> tags = GroupBenchmark.memberTags("v1");
                for (int p = 0; p < s.passes(); p++) {
                    passes[p] = onePass(rt, group, instances, size + p + 1, tags) / 1e6;
                }
                Arrays.sort(passes);
                return new double[] {converge, describe, Percentiles.median(passes), rss};
            }
        }
    }

    /** @return nanoseconds from the commit of {@code newSize} to the new member's file */
    private long onePass(RuntimeProcess rt, JsonRpcClient group, Path instances, long newSize,
            Map<String, String> tags) throws Exception {
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            instances.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            long t0 = System.nanoTime();
            commit(group, GroupBenchmark.GROUP, newSize);
            long deadline = t0 + settings.timeout().toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                WatchKey key = left > 0 ? watch.poll(left, TimeUnit.NANOSECONDS) : null;
                long now = System.nanoTime();
                if (key == null) {
                    throw new IllegalStateException("no new instance file within "
                            + GroupBenchmark.duration(settings.timeout()) + " of committing size " + newSize + "; "
                            + rt.consoleTail());
                }
                for (WatchEvent<?> e : key.pollEvents()) {
                    if (e.kind() == StandardWatchEventKinds.OVERFLOW) {
                        throw new IllegalStateException("the watch of " + instances + " overflowed");
                    }
                    String name = e.context().toString();
                    if (!name.startsWith(".")) {
                        if (InstanceFiles.countTagged(instances, List.of(name), tags) != 1) {
                            throw new IllegalStateException("the new instance file " + name + " lacks the tags "
                                    + tags);
                        }
                        return now - t0;
                    }
                }
                key.reset();
            }
        }
    }

    /** @return seconds from the first commit to every group's files tagged */
    private double manyGroups(RuntimeLauncher launcher, Path home, int count, SocketProbe probe,
            ScheduledThreadPoolExecutor timer) throws Exception {
        Settings s = settings;
        long total = (long) count * s.groupMembers();
        Duration converging = s.timeout().plusMillis(2 * total);
        Map<String, String> required = Map.of(GroupTags.CONFIG_SHA,
                GroupBenchmark.memberTags("v1").get(GroupTags.CONFIG_SHA));
        try (RuntimeProcess rt = launcher.start(Variant.SHIPPED, home, "", s.timeout())) {
            RuntimeLauncher.awaitSockets(rt, probe, s.timeout());
            Path instances = home.resolve("instances");
            long t0 = System.nanoTime();
            try (JsonRpcClient group = new JsonRpcClient(rt.plugins().resolve("group"), s.timeout().toMillis(), timer,
                    false)) {
                for (int g = 0; g < count; g++) {
                    commit(group, "bench-g" + g, s.groupMembers());
                }
            }
            long deadline = t0 + converging.toNanos();
            while (true) {
                long now = System.nanoTime();
                List<String> names = InstanceFiles.names(instances);
                if (names.size() == total) {
                    Map<String, Integer> byGroup = InstanceFiles.countByTag(instances, names, GroupTags.GROUP,
                            required);
                    if (byGroup.size() == count && byGroup.values().stream().allMatch(v -> v == s.groupMembers())) {
                        return (now - t0) / 1e9;
                    }
                }
                if (now > deadline) {
                    throw new IllegalStateException(String.format(Locale.ROOT, "after %s, %,d instance files of "
                            + "%,d; %s", GroupBenchmark.duration(converging), names.size(), total, rt.consoleTail()));
                }
                Thread.sleep(10);
            }
        }
    }

    private static void commit(JsonRpcClient group, String id, long size) throws Exception {
        group.call("Group.CommitGroup", new GroupMessages.CommitGroupRequest(
                GroupBenchmark.spec(id, (int) size, "v1"), false), GroupMessages.CommitGroupResponse.class);
    }

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
}
