package org.infrakit.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How one cost grows: its value measured at growing sizes (instances, or groups), and whether
 * that growth is linear or better.
 *
 * @param name what is measured, e.g. {@code DescribeInstances over the file plugin, p50}
 * @param sizeName what the sizes count, e.g. {@code instances}
 * @param unit the unit of the values
 * @param sizes the sizes, growing
 * @param values the value at each size (a median of its samples), positive
 */
record Series(String name, String sizeName, Unit unit, long[] sizes, double[] values) {
    /**
     * How much steeper than linear a step may look before it counts as worse than linear: the
     * machine is shared and one measurement moves by some percent. 0.15 lets 10× the size cost up
     * to 14× the time.
     */
    static final double TOLERANCE = 0.15;

    /** Canonical constructor: as many values as sizes, at least two, sizes growing. */
    Series {
        if (sizes.length != values.length || sizes.length < 2) {
            throw new IllegalArgumentException(name + ": needs a value for each of at least two sizes");
        }
        for (int i = 1; i < sizes.length; i++) {
            if (sizes[i] <= sizes[i - 1]) {
                throw new IllegalArgumentException(name + ": sizes must grow");
            }
        }
        sizes = sizes.clone();
        values = values.clone();
    }

    /**
     * @return for each step from one size to the next, the exponent k of {@code cost ∝ size^k}
     *     that the two measurements imply (1: linear; below: better; above: worse)
     */
    double[] exponents() {
        double[] k = new double[sizes.length - 1];
        for (int i = 1; i < sizes.length; i++) {
            k[i - 1] = Math.log(Math.max(values[i], 1e-12) / Math.max(values[i - 1], 1e-12))
                    / Math.log((double) sizes[i] / sizes[i - 1]);
        }
        return k;
    }

    /** @return whether no step grows faster than linear (beyond {@link #TOLERANCE}) */
    boolean linearOrBetter() {
        for (double k : exponents()) {
            if (k > 1 + TOLERANCE) {
                return false;
            }
        }
        return true;
    }

    /** @return e.g. {@code linear or better (×8.1, ×9.7)} */
    String verdict() {
        List<String> steps = new ArrayList<>();
        for (int i = 1; i < sizes.length; i++) {
            steps.add(String.format(Locale.ROOT, "×%.1f for ×%,d", values[i] / values[i - 1],
                    sizes[i] / sizes[i - 1]));
        }
        return (linearOrBetter() ? "linear or better" : "**worse than linear**") + " (" + String.join(", ", steps)
                + ")";
    }
}
