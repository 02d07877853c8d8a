package org.infrakit.bench;

/**
 * One measured figure: its samples (one per run, or one per call), the median reported, and the
 * target it is judged against.
 *
 * @param benchmark what was measured, e.g. {@code RPC, sequential (Plugin.Implements)}
 * @param measure which figure of it, e.g. {@code p50 latency}
 * @param unit the unit of the samples
 * @param samples the samples, at least one
 * @param runs how the samples were obtained, e.g. {@code 5 runs}
 * @param target the target, or {@code null} when the figure has none
 * @param comparison the same figure of a baseline measured in the same run, or {@code null}
 */
record Figure(String benchmark, String measure, Unit unit, double[] samples, String runs, Target target,
        Comparison comparison) {

    /**
     * A baseline's samples of the same figure, taken in the same run (interleaved with the figure's
     * own), so that the machine's load touched both alike.
     *
     * @param label what the baseline is, e.g. {@code JVM default JIT}
     * @param samples its samples, at least one
     */
    record Comparison(String label, double[] samples) {
        /** Canonical constructor: there is at least one sample. */
        Comparison {
            if (samples.length == 0) {
                throw new IllegalArgumentException(label + ": no samples");
            }
            samples = samples.clone();
        }

        /** @return the median of its samples */
        double median() {
            return Percentiles.median(samples);
        }
    }

    /** A figure without a baseline. */
    Figure(String benchmark, String measure, Unit unit, double[] samples, String runs, Target target) {
        this(benchmark, measure, unit, samples, runs, target, null);
    }

    /** Canonical constructor: there is at least one sample, and none is NaN. */
    Figure {
        if (samples.length == 0) {
            throw new IllegalArgumentException(benchmark + " / " + measure + ": no samples");
        }
        for (double s : samples) {
            if (Double.isNaN(s)) {
                throw new IllegalArgumentException(benchmark + " / " + measure + ": a sample is NaN");
            }
        }
        samples = samples.clone();
    }

    /** @return the median of the samples */
    double median() {
        return Percentiles.median(samples);
    }

    /** @return whether the median meets the target; {@code true} when there is none */
    boolean met() {
        return target == null || target.met(median());
    }
}
