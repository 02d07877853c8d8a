package org.infrakit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrowthPlotTest {

    @Test
    void onePanelPerSeriesTwoToARow(@TempDir Path dir) throws Exception {
        Series a = new Series("A", "instances", Unit.MILLIS, new long[] {1_000, 10_000, 100_000},
                new double[] {1, 8, 90});
        Series b = new Series("B", "groups", Unit.SECONDS, new long[] {1, 10, 100}, new double[] {0.1, 0.5, 4});
        Series c = new Series("C", "instances", Unit.MEBIBYTES, new long[] {1_000, 10_000}, new double[] {80, 90});
        Path file = dir.resolve("docs/benchmarks-growth.png");
        GrowthPlot.write(List.of(a, b, c), file);

        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(2 * 560);
        assertThat(image.getHeight()).isEqualTo(2 * 380);
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }
}
