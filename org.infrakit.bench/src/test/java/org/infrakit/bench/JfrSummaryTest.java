package org.infrakit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jdk.jfr.Recording;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JfrSummaryTest {
    private static volatile long sink;

    @Test
    void theBusyMethodIsTheHotOneAndItsThreadIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("busy.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            r.start();
            Thread t = new Thread(JfrSummaryTest::spin, "bench-busy-7");
            t.start();
            t.join();
            r.stop();
            r.dump(file);
        }
        JfrSummary s = JfrSummary.of(file);

        assertThat(s.samples()).isPositive();
        assertThat(s.hotMethods()).extracting(Map.Entry::getKey).contains("org.infrakit.bench.JfrSummaryTest.spin");
        assertThat(s.projectFrames().get(0).getKey()).isEqualTo("org.infrakit.bench.JfrSummaryTest.spin");
        List<String> md = s.render("Busy", "A busy thread.", false);
        assertThat(md.get(0)).isEqualTo("### Busy");
        assertThat(md.get(2)).startsWith("A busy thread. ").contains(" execution samples (threads running Java code)");
        assertThat(s.render("Start", "A start.", true).get(2)).startsWith("A start. ");
        assertThat(md).contains("| Hot method (self time) | samples | share |", "| Thread | samples | share |")
                .anySatisfy(l -> assertThat(l).startsWith("| `bench-busy-N` | "));
    }

    private static void spin() {
        long end = System.nanoTime() + 300_000_000L;
        long x = 0;
        while (System.nanoTime() < end) {
            x += Long.numberOfTrailingZeros(x + System.nanoTime());
        }
        sink = x;
    }
}
