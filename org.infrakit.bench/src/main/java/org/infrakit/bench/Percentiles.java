package org.infrakit.bench;

import java.util.Arrays;

/**
 * Order statistics of measured samples: nearest-rank percentiles of latencies and the median of
 * per-run figures.
 */
final class Percentiles {
    private Percentiles() {
    }

    /**
     * @param sorted samples in ascending order, at least one
     * @param p the percentile, in (0, 100]
     * @return the nearest-rank percentile: the smallest sample that at least {@code p}% of the
     *     samples do not exceed
     */
    static long of(long[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile out of range: " + p);
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /**
     * @param samples the samples, at least one (not modified)
     * @return the median; the mean of the two middle samples for an even count
     */
    static double median(double[] samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double[] s = samples.clone();
        Arrays.sort(s);
        int mid = s.length / 2;
        return s.length % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
    }

    /**
     * @param samples the samples, at least one
     * @return the smallest
     */
    static double min(double[] samples) {
        return Arrays.stream(samples).min().orElseThrow();
    }

    /**
     * @param samples the samples, at least one
     * @return the largest
     */
    static double max(double[] samples) {
        return Arrays.stream(samples).max().orElseThrow();
    }
}
