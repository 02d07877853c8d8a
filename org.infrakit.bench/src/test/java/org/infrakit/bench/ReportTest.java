package org.infrakit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    private static final Machine MACHINE = new Machine("AMD EPYC", 2, "23.5 GiB", "OpenJDK 17", "Debian 12, Linux",
            "1.00 2.00 3.00");

    private static Report report(List<Figure> figures, List<String> failures) {
        return new Report(Instant.parse("2025-03-04T05:06:07Z"), 90, "bin/infrakit-bench", false, MACHINE,
                "4.00 5.00 6.00",
                List.of(new Report.Section("RPC round trips", new Benchmark.Outcome(figures,
                        List.of("How it is measured."), List.of("Something left out.")))), failures);
    }

    @Test
    void eachFigureIsARowWithItsMedianRangeTargetAndVerdict() {
        Report r = report(List.of(
                new Figure("RPC", "calls/s", Unit.CALLS_PER_SECOND, new double[] {9_000, 12_000, 11_000}, "3 runs",
                        Target.atLeast(10_000)),
                new Figure("RPC", "p50 latency", Unit.MICROS, new double[] {120, 130, 110}, "3 runs",
                        Target.below(100)),
                new Figure("Floor | raw", "p50 latency", Unit.MICROS, new double[] {14.2}, "1 run", null)),
                List.of());
        String md = r.render();

        assertThat(md).contains("- Date: 2025-03-04 05:06 UTC\n", "- Duration of the run: 1.5 min\n",
                "- Targets met: 1 of 2 (missed: RPC: p50 latency)\n",
                "| CPU | AMD EPYC |\n", "| Load average at start (1, 5, 15 min) | 1.00 2.00 3.00 |\n",
                "| Load average at end (1, 5, 15 min) | 4.00 5.00 6.00 |\n",
                "| RPC | calls/s | 11,000 calls/s | 9,000–12,000 calls/s | 3 runs | ≥ 10,000 calls/s | pass |\n",
                "| RPC | p50 latency | 120.0 µs | 110.0–130.0 µs | 3 runs | < 100.0 µs | **fail** |\n",
                "| Floor \\| raw | p50 latency | 14.2 µs | 14.2–14.2 µs | 1 run | — | — |\n",
                "### RPC round trips\n\n- How it is measured.\n- Note: Something left out.\n")
                .doesNotContain("Not measured", "Quick run");
        assertThat(r.missed()).extracting(Figure::measure).containsExactly("p50 latency");
    }

    @Test
    void headlineFiguresCarryTheirBaselineAndGrowthSeriesTheirVerdictAndPlot() {
        Figure rate = new Figure("Handshake.Implements, 1 client", "calls/s", Unit.CALLS_PER_SECOND,
                new double[] {20_000, 22_000}, "2 runs", Target.atLeast(25_000),
                new Figure.Comparison("JVM defaults", new double[] {30_000, 34_000}));
        Figure p50 = new Figure("Handshake.Implements, 1 client", "p50 latency", Unit.MICROS, new double[] {40},
                "1 run", Target.atMost(40));
        Series linear = new Series("Describe", "instances", Unit.MILLIS, new long[] {1_000, 10_000},
                new double[] {1, 9});
        Series worse = new Series("Converge", "instances", Unit.SECONDS, new long[] {1_000, 10_000},
                new double[] {1, 20});
        Report r = new Report(Instant.parse("2025-03-04T05:06:07Z"), 90, "bin/infrakit-bench", false, MACHINE,
                "4.00 5.00 6.00", List.of(
                        new Report.Section("Runtime process", Benchmark.Kind.HEADLINE,
                                new Benchmark.Outcome(List.of(rate, p50), List.of("Headline method."), List.of())),
                        new Report.Section("How cost grows", Benchmark.Kind.GROWTH, new Benchmark.Outcome(List.of(),
                                List.of(linear, worse), List.of(), List.of("Growth method."), List.of())),
                        new Report.Section("Diagnostic: RPC", new Benchmark.Outcome(List.of(new Figure("In one JVM",
                                "calls/s", Unit.CALLS_PER_SECOND, new double[] {50_000}, "1 run", null)),
                                List.of(), List.of()))),
                List.of()).withPlot("benchmarks-growth.png");
        String md = r.render();

        assertThat(md).contains("- Targets met: 1 of 2 (missed: Handshake.Implements, 1 client: calls/s)\n",
                "- Growth: 1 of 2 series linear or better\n",
                "| Handshake.Implements, 1 client | calls/s | 21,000 calls/s | 20,000–22,000 calls/s | 2 runs "
                        + "| ≥ 25,000 calls/s | **fail** | JVM defaults: 32,000 calls/s |\n",
                "| Handshake.Implements, 1 client | p50 latency | 40.0 µs | 40.0–40.0 µs | 1 run | ≤ 40.0 µs | pass "
                        + "| — |\n",
                "![How cost grows](benchmarks-growth.png)\n",
                "| Describe | 1,000 / 10,000 instances | 1.0 ms / 9.0 ms | linear or better (×9.0 for ×10) |\n",
                "| Converge | 1,000 / 10,000 instances | 1.00 s / 20.00 s | **worse than linear** (×20.0 for ×10) |\n",
                "## Diagnostics: parts measured on their own\n",
                "| In one JVM | calls/s | 50,000 calls/s | 50,000–50,000 calls/s | 1 run | — | — |\n",
                "`bin/infrakit-bench --profile`");
        assertThat(md.indexOf("## Results")).isLessThan(md.indexOf("## How cost grows"));
        assertThat(md.indexOf("## How cost grows")).isLessThan(md.indexOf("## Diagnostics"));
    }

    @Test
    void failuresAreListed() {
        String md = report(List.of(), List.of("Runtime process: the jar is missing")).render();
        assertThat(md).contains("- Targets met: 0 of 0\n", "- Not measured: 1 benchmark(s), see the end\n",
                "## Not measured\n\n- Runtime process: the jar is missing\n");
    }

    @Test
    void writeReplacesTheFileWholeAndReadable(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("docs/benchmarks.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "old");
        Report r = report(List.of(), List.of());
        r.write(out);

        assertThat(out).hasContent(r.render().stripTrailing());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-r--r--");
        try (var files = Files.list(out.getParent())) {
            assertThat(files).containsExactly(out);
        }
    }

    @Test
    void aFigureNeedsSamples() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Figure("RPC", "calls/s", Unit.CALLS_PER_SECOND,
                new double[0], "0 runs", null)).hasMessage("RPC / calls/s: no samples");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Figure("RPC", "calls/s", Unit.CALLS_PER_SECOND,
                new double[] {Double.NaN}, "1 run", null)).hasMessage("RPC / calls/s: a sample is NaN");
    }
}
