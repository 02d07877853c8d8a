package org.infrakit.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.infrakit.flavor.vanilla.impl.VanillaFlavor;
import org.infrakit.group.impl.ConfigHash;
import org.infrakit.group.impl.EngineOptions;
import org.infrakit.group.impl.ExecutorScheduler;
import org.infrakit.group.impl.GroupEngine;
import org.infrakit.group.impl.GroupTags;
import org.infrakit.group.impl.PluginLookup;
import org.infrakit.group.impl.PluginSection;
import org.infrakit.instance.file.impl.FileInstancePlugin;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;

/**
 * The group plugin's engine with the real file instance plugin and vanilla flavor, in one JVM
 * without OSGi: the time to converge a new group, and the time to roll a group onto a changed
 * spec, both watched from outside by listing and reading the instance directory.
 */
final class GroupBenchmark implements Benchmark {
    static final String GROUP = "bench";
    static final String INSTANCE_PLUGIN = "instance-file";
    static final String FLAVOR_PLUGIN = "flavor-vanilla";
    private static final String INSTANCE_PROPERTIES = "{\"Note\":\"benchmark\"}";

    /**
     * @param convergeRuns how many new groups are converged
     * @param convergeSize the size of each
     * @param rollRuns how many rolling updates are timed
     * @param rollSize the size of the rolled group
     * @param rollPoll the engine's poll interval during the rolling update
     * @param timeout the longest wait for any one of them
     */
    record Settings(int convergeRuns, int convergeSize, int rollRuns, int rollSize, Duration rollPoll,
            Duration timeout) {
        /** @return the figures of the report */
        static Settings defaults() {
            return new Settings(2, 1_000, 2, 100, Duration.ofSeconds(1), Duration.ofSeconds(120));
        }

        /** @return small groups, to check the harness */
        static Settings quick() {
            return new Settings(1, 10, 1, 3, Duration.ofSeconds(1), Duration.ofSeconds(30));
        }
    }

    private final Settings settings;

    /** @param settings how much to measure */
    GroupBenchmark(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String id() {
        return "group";
    }

    @Override
    public String title() {
        return "Diagnostic: group engine in one JVM";
    }

    @Override
    public Outcome run() throws Exception {
        Settings s = settings;
        double[] converge = new double[s.convergeRuns()];
        double[] convergeDescribed = new double[s.convergeRuns()];
        double[] roll = new double[s.rollRuns()];
        double[] rollDescribed = new double[s.rollRuns()];
        try (ScratchDir scratch = new ScratchDir("ikbench-group")) {
            for (int r = 0; r < s.convergeRuns(); r++) {
                Progress.say(String.format(Locale.ROOT, "group: converge %,d, run %d of %d", s.convergeSize(), r + 1,
                        s.convergeRuns()));
                Path dir = scratch.dir("converge-" + r);
                try (Rig rig = new Rig(dir, EngineOptions.defaults())) {
                    long t0 = System.nanoTime();
                    rig.engine.commitGroup(spec(s.convergeSize(), "v1"), false);
                    converge[r] = awaitGroup(dir, s.convergeSize(), "v1", t0, s.timeout(), 5) / 1e9;
                    convergeDescribed[r] = awaitConverged(rig.engine, t0, s.timeout()) / 1e9;
                }
                ScratchDir.delete(dir);
            }
            for (int r = 0; r < s.rollRuns(); r++) {
                Progress.say(String.format(Locale.ROOT, "group: roll %,d at a %s poll interval, run %d of %d",
                        s.rollSize(), duration(s.rollPoll()), r + 1, s.rollRuns()));
                Path dir = scratch.dir("roll-" + r);
                try (Rig rig = new Rig(dir, EngineOptions.withPollInterval(s.rollPoll()))) {
                    rig.engine.commitGroup(spec(s.rollSize(), "v1"), false);
                    long setup = System.nanoTime();
                    awaitGroup(dir, s.rollSize(), "v1", setup, s.timeout(), 10);
                    awaitConverged(rig.engine, setup, s.timeout());
                    long t0 = System.nanoTime();
                    rig.engine.commitGroup(spec(s.rollSize(), "v2"), false);
                    roll[r] = awaitGroup(dir, s.rollSize(), "v2", t0, s.timeout(), 10) / 1e9;
                    rollDescribed[r] = awaitConverged(rig.engine, t0, s.timeout()) / 1e9;
                }
                ScratchDir.delete(dir);
            }
        }
        String convergeName = String.format(Locale.ROOT, "Group, new group of %,d file instances", s.convergeSize());
        String rollName = String.format(Locale.ROOT, "Group, rolling update of %,d instances (%s poll interval)",
                s.rollSize(), duration(s.rollPoll()));
        List<Figure> figures = new ArrayList<>();
        figures.add(new Figure(convergeName, "CommitGroup to all files tagged", Unit.SECONDS, converge,
                runs(s.convergeRuns()), Target.below(2)));
        figures.add(new Figure(convergeName, "CommitGroup to DescribeGroup converged", Unit.SECONDS,
                convergeDescribed, runs(s.convergeRuns()), null));
        figures.add(new Figure(rollName, "CommitGroup to all on the new config", Unit.SECONDS, roll,
                runs(s.rollRuns()), Target.below(10)));
        figures.add(new Figure(rollName, "CommitGroup to DescribeGroup converged", Unit.SECONDS, rollDescribed,
                runs(s.rollRuns()), null));
        EngineOptions d = EngineOptions.defaults();
        List<String> method = List.of(
                "`GroupEngine` with the real `FileInstancePlugin` (directory-watch cache, files fsynced as in the "
                        + "runtime) and `VanillaFlavor`, found through `PluginLookup.of`, on a cached thread pool; "
                        + "no OSGi, no sockets. A new directory and a new engine for every run.",
                String.format(Locale.ROOT, "New group: the runtime's default options (poll interval %s, "
                        + "parallelism %d); timed from just before `CommitGroup` until a listing of the directory "
                        + "shows exactly %,d instance files and every one carries `%s=%s` and the expected "
                        + "`%s`.", duration(d.pollInterval()), d.parallelism(), s.convergeSize(), GroupTags.GROUP,
                        GROUP, GroupTags.CONFIG_SHA),
                String.format(Locale.ROOT, "Rolling update: a group of %,d converged first (not timed), then a "
                        + "spec with a changed flavor `Init` committed; timed until the directory holds exactly "
                        + "%,d files, all with the new `%s`. Poll interval %s, health checks every %s while the "
                        + "update waits.", s.rollSize(), s.rollSize(), GroupTags.CONFIG_SHA, duration(s.rollPoll()),
                        duration(EngineOptions.DEFAULT_UPDATE_POLL)),
                "After that, `DescribeGroup` is asked every 10 ms until it reports `Converged` (the count "
                        + "matches, every member on the current config and no update in flight): that time is "
                        + "shown too.");
        return new Outcome(figures, method, List.of());
    }

    /**
     * @param size the group size
     * @param version a word that changes the flavor's {@code Init}, hence the configuration hash
     * @return the spec of the benchmark group
     */
    static GroupSpec spec(int size, String version) {
        return spec(GROUP, size, version);
    }

    /**
     * @param id the group's ID
     * @param size the group size
     * @param version a word that changes the flavor's {@code Init}, hence the configuration hash
     * @return the spec of a benchmark group
     */
    static GroupSpec spec(String id, int size, String version) {
        return new GroupSpec(id, RawJson.of("{\"Allocation\":{\"Size\":" + size + "},\"Instance\":{\"Plugin\":\""
                + INSTANCE_PLUGIN + "\",\"Properties\":" + INSTANCE_PROPERTIES + "},\"Flavor\":{\"Plugin\":\""
                + FLAVOR_PLUGIN + "\",\"Properties\":" + flavorProperties(version) + "}}"));
    }

    private static String flavorProperties(String version) {
        return "{\"Init\":[\"echo " + version + "\"],\"Tags\":{\"tier\":\"web\"}}";
    }

    /**
     * @param version as given to {@link #spec}
     * @return the tags every member of that spec carries
     * @throws PluginException when the hash cannot be computed
     */
    static Map<String, String> memberTags(String version) throws PluginException {
        String hash = ConfigHash.of(new PluginSection(INSTANCE_PLUGIN, RawJson.of(INSTANCE_PROPERTIES)),
                new PluginSection(FLAVOR_PLUGIN, RawJson.of(flavorProperties(version))));
        return Map.of(GroupTags.GROUP, GROUP, GroupTags.CONFIG_SHA, hash, "tier", "web");
    }

    /**
     * Watches an instance directory until it holds exactly {@code size} files, all members of the
     * benchmark group on {@code version}.
     *
     * @return nanoseconds from {@code t0} to the listing that showed it
     * @throws IllegalStateException when it does not happen within the timeout
     */
    static long awaitGroup(Path dir, int size, String version, long t0, Duration timeout, long pollMillis)
            throws IOException, PluginException, InterruptedException {
        Map<String, String> tags = memberTags(version);
        long deadline = t0 + timeout.toNanos();
        int files = 0;
        int tagged = 0;
        while (true) {
            long now = System.nanoTime();
            List<String> names = InstanceFiles.names(dir);
            files = names.size();
            if (files == size) {
                tagged = InstanceFiles.countTagged(dir, names, tags);
                if (tagged == size) {
                    return now - t0;
                }
            }
            if (now > deadline) {
                throw new IllegalStateException(String.format(Locale.ROOT, "%s: after %s, %,d instance files, "
                        + "%,d of them tagged %s; expected %,d", dir, duration(timeout), files, tagged, tags, size));
            }
            Thread.sleep(pollMillis);
        }
    }

    /**
     * Asks the engine until it describes the benchmark group as converged.
     *
     * @return nanoseconds from {@code t0} to the answer that said so
     * @throws IllegalStateException when it does not happen within the timeout
     */
    private static long awaitConverged(GroupEngine engine, long t0, Duration timeout)
            throws PluginException, InterruptedException {
        long deadline = t0 + timeout.toNanos();
        while (!engine.describeGroup(GROUP).converged()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("group '" + GROUP + "' not described as converged after "
                        + duration(timeout));
            }
            Thread.sleep(10);
        }
        return System.nanoTime() - t0;
    }

    private static String runs(int n) {
        return n + (n == 1 ? " run" : " runs");
    }

    static String duration(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** A group engine over a file instance plugin in {@code dir}, stopped and drained by close. */
    private static final class Rig implements AutoCloseable {
        final FileInstancePlugin files;
        final ScheduledExecutorService timers;
        final ExecutorService pool;
        final GroupEngine engine;

        Rig(Path dir, EngineOptions options) throws PluginException {
            files = new FileInstancePlugin(INSTANCE_PLUGIN, dir);
            timers = Executors.newSingleThreadScheduledExecutor(new NamedThreads("bench-group-timer"));
            pool = Executors.newCachedThreadPool(new NamedThreads("bench-group"));
            engine = new GroupEngine(PluginLookup.of(Map.of(INSTANCE_PLUGIN, files), Map.of(FLAVOR_PLUGIN,
                    new VanillaFlavor())), new ExecutorScheduler(timers), pool, options, null);
            engine.start();
        }

        @Override
        public void close() throws InterruptedException {
            engine.close();
            pool.shutdown();
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
            timers.shutdownNow();
            files.close();
        }
    }
}
