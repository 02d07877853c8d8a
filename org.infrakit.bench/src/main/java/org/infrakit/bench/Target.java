package org.infrakit.bench;

/**
 * A figure's target, taken from the project's issues.
 *
 * @param atLeast whether the figure must reach the bound ({@code false}: stay below it)
 * @param bound the bound, in the figure's unit
 * @param strict for an upper bound, whether the bound itself fails ({@code <}) or passes ({@code ≤})
 */
record Target(boolean atLeast, double bound, boolean strict) {

    /** @param bound the smallest passing value @return the target */
    static Target atLeast(double bound) {
        return new Target(true, bound, false);
    }

    /** @param bound the value the figure must stay under @return the target */
    static Target below(double bound) {
        return new Target(false, bound, true);
    }

    /** @param bound the largest passing value @return the target */
    static Target atMost(double bound) {
        return new Target(false, bound, false);
    }

    /** @param value a measured value @return whether it meets the target */
    boolean met(double value) {
        return atLeast ? value >= bound : strict ? value < bound : value <= bound;
    }

    /** @param unit the figure's unit @return e.g. {@code ≥ 10,000 calls/s} or {@code < 100 µs} */
    String describe(Unit unit) {
        return (atLeast ? "≥ " : strict ? "< " : "≤ ") + unit.format(bound);
    }
}
