package org.infrakit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness end to end with tiny sizes: the in-JVM benchmarks really run against the real code
 * and the report comes out with a row per figure. (The figures themselves mean nothing here; the
 * real run is {@code bin/infrakit-bench}, never part of the build.)
 */
class BenchHarnessTest {

    @Test
    void aQuickRunOfTheInJvmBenchmarksWritesTheReport(@TempDir Path root) throws Exception {
        BenchMain.Options options = BenchMain.Options.parse("--root", root.toString(), "--quick", "--only",
                "rpc,describe,group", "--command", "bin/infrakit-bench --quick");
        Report report = BenchMain.run(options);
        assertThat(report.failures()).isEmpty();
        report.write(options.out());

        assertThat(options.out()).isEqualTo(root.resolve("docs/benchmarks.md"));
        String md = Files.readString(options.out(), StandardCharsets.UTF_8);
        assertThat(md).startsWith("# Benchmarks\n")
                .contains("Quick run")
                .contains("- Command: `bin/infrakit-bench --quick`")
                .contains("## Machine")
                .contains("| Cores | " + Runtime.getRuntime().availableProcessors() + " |")
                .contains("| Benchmark | Figure | Median | Range | Runs | Target | Result |")
                .contains("## Diagnostics: parts measured on their own",
                        "### Diagnostic: RPC round trips in one JVM", "### Diagnostic: DescribeInstances caches in one JVM",
                        "### Diagnostic: group engine in one JVM")
                .doesNotContain("## Not measured");

        List<String> rows = md.lines().filter(l -> l.startsWith("| ") && l.endsWith(" |"))
                .filter(l -> l.split(" \\| ").length == 7).toList();
        assertThat(rows).anySatisfy(r -> assertThat(r)
                .startsWith("| RPC, sequential, one connection (Plugin.Implements) | calls/s | ")
                .contains("| 2 runs | — | — |"));
        assertThat(rows).anySatisfy(r -> assertThat(r)
                .startsWith("| Raw unix-socket ping-pong, 8 bytes (floor) | p50 latency | "));
        assertThat(rows).anySatisfy(r -> assertThat(r)
                .startsWith("| DescribeInstances, 100 files | naive ÷ cached (runtime default) | ")
                .contains("| ≥ 10.0× | "));
        assertThat(rows).anySatisfy(r -> assertThat(r)
                .startsWith("| Group, new group of 10 file instances | CommitGroup to all files tagged | ")
                .containsPattern("\\| (pass|\\*\\*fail\\*\\*) \\|$"));
        assertThat(rows).anySatisfy(r -> assertThat(r)
                .startsWith("| Group, rolling update of 3 instances (1 s poll interval) | "));
        // one row per figure, and every figure with a target has a verdict
        assertThat(report.figures()).hasSizeGreaterThanOrEqualTo(18);
        for (Figure f : report.figures()) {
            assertThat(java.util.Arrays.stream(f.samples()).min().orElseThrow()).as(f.benchmark() + ", " + f.measure())
                    .isPositive();
        }
    }

    @Test
    void aBenchmarkThatCannotRunIsReportedAndTheOthersStillRun(@TempDir Path root) throws Exception {
        BenchMain.Options options = BenchMain.Options.parse("--root", root.toString(), "--quick", "--only",
                "runtime,describe", "--jar", "no-such.jar");
        Report report = BenchMain.run(options);

        assertThat(report.failures()).singleElement().asString()
                .startsWith("Diagnostic: launch baselines and the deploy folder: IllegalStateException: the runtime jar ")
                .contains("no-such.jar does not exist");
        assertThat(report.figures()).isNotEmpty()
                .allSatisfy(f -> assertThat(f.benchmark()).startsWith("DescribeInstances"));
        assertThat(report.render()).contains("## Not measured\n\n- Diagnostic: launch baselines and the deploy folder: ");
    }
}
