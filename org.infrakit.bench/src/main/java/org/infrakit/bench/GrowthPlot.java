package org.infrakit.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The plot of the growth series: one log-log panel per series, the measured values beside the
 * line of linear growth through the first of them, as a PNG (XChart, headless).
 */
final class GrowthPlot {
    private static final int PANEL_WIDTH = 560;
    private static final int PANEL_HEIGHT = 380;
    private static final int COLUMNS = 2;

    private GrowthPlot() {
    }

    /**
     * Writes the plot atomically: a reader sees the old file or the new one.
     *
     * @param series the series, at least one
     * @param file the PNG file
     * @throws IOException when it cannot be written
     */
    static void write(List<Series> series, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<XYChart> charts = new ArrayList<>();
        for (Series s : series) {
            charts.add(panel(s));
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                if (!ImageIO.write(grid(charts), "png", out)) {
                    throw new IOException("no PNG writer in this JDK");
                }
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The panels in rows of {@value #COLUMNS}, on white (XChart's own grid wants a full last row). */
    private static BufferedImage grid(List<XYChart> charts) {
        int columns = Math.min(COLUMNS, charts.size());
        int rows = (charts.size() + COLUMNS - 1) / COLUMNS;
        BufferedImage image = new BufferedImage(columns * PANEL_WIDTH, rows * PANEL_HEIGHT,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            for (int i = 0; i < charts.size(); i++) {
                g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), (i % COLUMNS) * PANEL_WIDTH,
                        (i / COLUMNS) * PANEL_HEIGHT, null);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static XYChart panel(Series s) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).title(s.name())
                .xAxisTitle(s.sizeName() + " (log)").yAxisTitle(s.unit().symbol() + " (log)").build();
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true)
                .setLegendPosition(Styler.LegendPosition.InsideNW)
                .setChartTitleFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 11))
                .setAntiAlias(true);
        double[] x = new double[s.sizes().length];
        double[] linear = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = s.sizes()[i];
            linear[i] = s.values()[0] * x[i] / x[0];
        }
        XYSeries measured = chart.addSeries("measured", x, s.values().clone());
        measured.setMarker(SeriesMarkers.CIRCLE);
        XYSeries reference = chart.addSeries("linear from the first", x, linear);
        reference.setLineStyle(SeriesLines.DASH_DASH);
        reference.setMarker(SeriesMarkers.NONE);
        return chart;
    }
}
