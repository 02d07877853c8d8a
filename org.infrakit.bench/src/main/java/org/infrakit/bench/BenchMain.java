package org.infrakit.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs the project's benchmarks and writes {@code docs/benchmarks.md}; {@code bin/infrakit-bench}
 * is the documented way to start it.
 *
 * <pre>
 * BenchMain [--root DIR] [--out FILE] [--jar FILE] [--only process,scale,rpc,describe,group,runtime]
 *           [--profile] [--quick] [--command TEXT]
 * </pre>
 *
 * The plot of the growth series is written beside the report, named after it
 * ({@code benchmarks.md}: {@code benchmarks-growth.png}).
 *
 * Exit status: 0 when every selected benchmark completed (whether or not it met its targets),
 * 1 when one could not complete (the report says which), 2 for bad arguments.
 */
public final class BenchMain {
    /** The benchmark ids, in the order they run; {@code profile} runs only when asked for. */
    static final List<String> IDS = List.of("process", "scale", "rpc", "describe", "group", "runtime", "profile");
    /** The benchmarks a run without {@code --only} runs. */
    static final List<String> DEFAULT_IDS = IDS.subList(0, IDS.size() - 1);

    /**
     * @param root the repository root
     * @param out the report file
     * @param jar the runtime jar
     * @param only the benchmarks to run
     * @param quick whether to use tiny sizes (checks the harness only)
     * @param command the command recorded in the report
     */
    record Options(Path root, Path out, Path jar, Set<String> only, boolean quick, String command) {

        /**
         * @param args the command line
         * @return the options
         * @throws IllegalArgumentException with a one-line message for a bad command line
         */
        static Options parse(String... args) {
            Path root = Path.of("").toAbsolutePath();
            Path out = null;
            Path jar = null;
            Set<String> only = new LinkedHashSet<>(DEFAULT_IDS);
            boolean quick = false;
            boolean profile = false;
            String command = "bin/infrakit-bench";
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--root" -> root = Path.of(value(args, ++i, a)).toAbsolutePath();
                    case "--out" -> out = Path.of(value(args, ++i, a));
                    case "--jar" -> jar = Path.of(value(args, ++i, a));
                    case "--command" -> command = value(args, ++i, a);
                    case "--quick" -> quick = true;
                    case "--profile" -> profile = true;
                    case "--only" -> {
                        only = new LinkedHashSet<>();
                        for (String id : value(args, ++i, a).split(",")) {
                            String t = id.trim();
                            if (!IDS.contains(t)) {
                                throw new IllegalArgumentException("unknown benchmark '" + t + "' in --only; known: "
                                        + String.join(",", IDS));
                            }
                            only.add(t);
                        }
                        if (only.isEmpty()) {
                            throw new IllegalArgumentException("--only names no benchmark");
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown argument '" + a + "'; usage: [--root DIR] "
                            + "[--out FILE] [--jar FILE] [--only " + String.join(",", DEFAULT_IDS) + "] [--profile] "
                            + "[--quick] [--command TEXT]");
                }
            }
            if (profile) {
                only.add("profile");
            }
            Set<String> ordered = new LinkedHashSet<>();
            IDS.stream().filter(only::contains).forEach(ordered::add);
            only = ordered;
            return new Options(root, out != null ? root.resolve(out) : root.resolve("docs/benchmarks.md"),
                    jar != null ? root.resolve(jar) : root.resolve("run/target/infrakit.jar"), only, quick, command);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }

    private BenchMain() {
    }

    /**
     * @param args see the class comment
     */
    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("infrakit-bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            Report report = run(options);
            Path plot = plotFile(options.out());
            if (!report.series().isEmpty()) {
                GrowthPlot.write(report.series(), plot);
                report = report.withPlot(plot.getFileName().toString());
            }
            report.write(options.out());
            System.err.println();
            System.err.print(summary(report));
            System.err.println("Written: " + options.out() + (report.plot() == null ? "" : " and " + plot));
            System.exit(report.failures().isEmpty() ? 0 : 1);
        } catch (IOException | RuntimeException e) {
            System.err.println("infrakit-bench: " + e);
            System.exit(1);
        }
    }

    /**
     * Runs the selected benchmarks, one after the other. One that fails is reported and the
     * others still run.
     *
     * @param options what to run
     * @return the report (not yet written)
     */
    static Report run(Options options) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Machine machine = Machine.current();
        List<Report.Section> sections = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Benchmark b : benchmarks(options)) {
            try {
                sections.add(new Report.Section(b.title(), b.kind(), b.run()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(b.title() + ": interrupted");
                break;
            } catch (Exception e) {
                Progress.say(b.id() + " failed: " + e);
                failures.add(b.title() + ": " + oneLine(e));
            }
        }
        return new Report(started, (System.nanoTime() - t0) / 1e9, options.command(), options.quick(), machine,
                Machine.current().load(), sections, failures);
    }

    private static List<Benchmark> benchmarks(Options o) {
        boolean q = o.quick();
        List<Benchmark> all = List.of(
                new ProcessBenchmark(q ? ProcessBenchmark.Settings.quick() : ProcessBenchmark.Settings.defaults(),
                        o.root()),
                new ScaleBenchmark(q ? ScaleBenchmark.Settings.quick() : ScaleBenchmark.Settings.defaults(), o.root()),
                new RpcBenchmark(q ? RpcBenchmark.Settings.quick() : RpcBenchmark.Settings.defaults()),
                new DescribeBenchmark(q ? DescribeBenchmark.Settings.quick() : DescribeBenchmark.Settings.defaults()),
                new GroupBenchmark(q ? GroupBenchmark.Settings.quick() : GroupBenchmark.Settings.defaults()),
                new RuntimeBenchmark(q ? RuntimeBenchmark.Settings.quick() : RuntimeBenchmark.Settings.defaults(),
                        o.jar(), o.root()),
                new ProfileBenchmark(q ? ProfileBenchmark.Settings.quick() : ProfileBenchmark.Settings.defaults(),
                        o.root()));
        return all.stream().filter(b -> o.only().contains(b.id())).toList();
    }

    /**
     * @param report the report file
     * @return the plot file beside it: {@code benchmarks.md} gives {@code benchmarks-growth.png}
     */
    static Path plotFile(Path report) {
        String name = report.getFileName().toString();
        String base = name.endsWith(".md") ? name.substring(0, name.length() - 3) : name;
        return report.resolveSibling(base + "-growth.png");
    }

    private static String summary(Report report) {
        StringBuilder b = new StringBuilder();
        for (Figure f : report.figures()) {
            b.append(String.format(Locale.ROOT, "%-6s %s, %s: %s%n",
                    f.target() == null ? "" : f.met() ? "pass" : "FAIL", f.benchmark(), f.measure(),
                    f.unit().format(f.median())));
        }
        for (Series x : report.series()) {
            b.append(String.format(Locale.ROOT, "%-6s %s: %s%n", x.linearOrBetter() ? "pass" : "WORSE", x.name(),
                    x.verdict()));
        }
        for (String f : report.failures()) {
            b.append("NOT MEASURED ").append(f).append('\n');
        }
        return b.toString();
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        String text = e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        return text.replace('\n', ' ');
    }
}
