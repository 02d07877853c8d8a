package org.infrakit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.infrakit.instance.file.impl.FileInstancePlugin;
import org.infrakit.instance.file.impl.FileInstancePlugin.CacheMode;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;

/**
 * {@code DescribeInstances} of the file instance plugin over a directory of many instance files,
 * the way the runtime runs it (a cache validated by a directory watch) against the naive way of
 * the 2017 plugin (every file re-read and re-parsed on every call), with the tag filter a group
 * plugin asks with.
 */
final class DescribeBenchmark implements Benchmark {
    private static final String GROUP = "bench";
    private static final Map<String, String> FILTER = Map.of("infrakit.group", GROUP);

    /**
     * @param runs how many times the measurement is repeated, with new plugin objects each time
     * @param instances how many instance files the directory holds
     * @param naiveCalls timed calls of the naive plugin per run
     * @param cachedCalls timed calls of each cached plugin per run
     */
    record Settings(int runs, int instances, int naiveCalls, int cachedCalls) {
        /** @return the figures of the report */
        static Settings defaults() {
            return new Settings(3, 10_000, 5, 20);
        }

        /** @return a small directory, to check the harness */
        static Settings quick() {
            return new Settings(1, 100, 2, 5);
        }
    }

    private final Settings settings;

    /** @param settings how much to measure */
    DescribeBenchmark(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String id() {
        return "describe";
    }

    @Override
    public String title() {
        return "Diagnostic: DescribeInstances caches in one JVM";
    }

    @Override
    public Outcome run() throws Exception {
        Settings s = settings;
        try (ScratchDir scratch = new ScratchDir("ikbench-describe")) {
            Path dir = scratch.dir("instances");
            Progress.say(String.format(Locale.ROOT, "describe: writing %,d instance files", s.instances()));
            fill(dir, s.instances());
            double[] naive = new double[s.runs()];
            double[] watch = new double[s.runs()];
            double[] stat = new double[s.runs()];
            double[] cold = new double[s.runs()];
            double[] ratio = new double[s.runs()];
            CacheMode watchInEffect = CacheMode.WATCH;
            for (int r = 0; r < s.runs(); r++) {
                Progress.say("describe: run " + (r + 1) + " of " + s.runs());
                try (FileInstancePlugin p = plugin("bench-naive", dir, CacheMode.NONE)) {
                    naive[r] = p50Millis(p, 1, s.naiveCalls(), s.instances());
                }
                try (FileInstancePlugin p = plugin("bench-watch", dir, CacheMode.WATCH)) {
                    watchInEffect = p.cacheMode();
                    long t = System.nanoTime();
                    describe(p, s.instances());
                    cold[r] = (System.nanoTime() - t) / 1e6;
                    watch[r] = p50Millis(p, 0, s.cachedCalls(), s.instances());
                }
                try (FileInstancePlugin p = plugin("bench-stat", dir, CacheMode.STAT)) {
                    stat[r] = p50Millis(p, 1, s.cachedCalls(), s.instances());
                }
                ratio[r] = naive[r] / watch[r];
            }
            String name = String.format(Locale.ROOT, "DescribeInstances, %,d files", s.instances());
            String runs = s.runs() + (s.runs() == 1 ? " run" : " runs");
            List<Figure> figures = List.of(
                    new Figure(name, "p50 per call, cached (runtime default: directory watch)", Unit.MILLIS, watch,
                            runs, null),
                    new Figure(name, "p50 per call, cached (size/mtime/inode check)", Unit.MILLIS, stat, runs, null),
                    new Figure(name, "p50 per call, naive (re-read every file)", Unit.MILLIS, naive, runs, null),
                    new Figure(name, "naive ÷ cached (runtime default)", Unit.TIMES, ratio, runs, Target.atLeast(10)),
                    new Figure(name, "first call of a new plugin (reads every file once)", Unit.MILLIS, cold, runs,
                            null));
            List<String> method = List.of(
                    String.format(Locale.ROOT, "A directory of %,d instance files in the plugin's own format (one "
                            + "provisioned by the plugin, the others copies of it with their own IDs), all tagged "
                            + "`infrakit.group=%s`; every call filters by that tag without properties, as the group "
                            + "plugin asks. The files are in the page cache (the naive way pays reading and "
                            + "parsing, not the disk) and their mtimes a minute old, as in a steady state.",
                            s.instances(), GROUP),
                    String.format(Locale.ROOT, "`FileInstancePlugin` with `CacheMode.NONE` (naive), `WATCH` (in "
                            + "effect: %s) and `STAT`; per run a new plugin object of each, one untimed call first, "
                            + "then %d timed calls (naive) or %d (cached); p50 per run, the table shows the median "
                            + "over runs. The ratio is computed per run.",
                            watchInEffect, s.naiveCalls(), s.cachedCalls()));
            return new Outcome(figures, method, List.of());
        }
    }

    private static FileInstancePlugin plugin(String name, Path dir, CacheMode mode) throws PluginException {
        return new FileInstancePlugin(name, dir, Clock.systemUTC(), new SplittableRandom(), mode);
    }

    private static double p50Millis(FileInstancePlugin p, int untimed, int calls, int expected) throws PluginException {
        for (int i = 0; i < untimed; i++) {
            describe(p, expected);
        }
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long t = System.nanoTime();
            describe(p, expected);
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        return Percentiles.of(nanos, 50) / 1e6;
    }

    private static void describe(FileInstancePlugin p, int expected) throws PluginException {
        List<InstanceDescription> found = p.describeInstances(FILTER, false);
        if (found.size() != expected) {
            throw new IllegalStateException(p + " described " + found.size() + " instances, not " + expected);
        }
    }

    /** Provisions one instance through the plugin, then copies its file under new IDs. */
    private static void fill(Path dir, int count) throws IOException, PluginException {
        InstanceSpec spec = InstanceSpec.of(RawJson.of("{\"Note\":\"benchmark\"}"),
                Map.of("infrakit.group", GROUP, "infrakit.config_sha", "tcfa5bcf3b2bpbvxvfcmmm5eyqz7pj5h",
                        "tier", "web"),
                "#!/bin/sh\necho hello", null, null);
        SplittableRandom random = new SplittableRandom(42);
        String first;
        try (FileInstancePlugin seed = new FileInstancePlugin("bench-seed", dir, Clock.systemUTC(), random,
                CacheMode.NONE)) {
            first = seed.provision(spec);
        }
        String template = Files.readString(dir.resolve(first), StandardCharsets.UTF_8);
        String quoted = "\"" + first + "\"";
        if (!template.contains(quoted)) {
            throw new IllegalStateException("the instance file " + first + " does not name its own ID");
        }
        for (int i = 1; i < count; i++) {
            String id;
            do {
                id = "instance-" + (random.nextLong() & Long.MAX_VALUE);
            } while (Files.exists(dir.resolve(id)));
            Files.writeString(dir.resolve(id), template.replace(quoted, "\"" + id + "\""), StandardCharsets.UTF_8);
        }
        // A directory in its steady state: the files were written a while ago. (The STAT check
        // re-reads a file whose mtime is younger than the file system's timestamp granularity.)
        FileTime past = FileTime.from(Instant.now().minus(Duration.ofMinutes(1)));
        for (String name : InstanceFiles.names(dir)) {
            Files.setLastModifiedTime(dir.resolve(name), past);
        }
    }
}
