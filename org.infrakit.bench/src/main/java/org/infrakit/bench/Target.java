package org.infrakit.bench;

/**
 * A figure's target, taken from the project's issues.
 *
 * @param atLeast whether the figure must reach the bound ({@code false}: stay below it)
 * @param bound the bound, in the figure's unit
 */
record Target(boolean atLeast, double bound) {

    /** @param bound the smallest passing value @return the target */
    static Target atLeast(double bound) {
        return new Target(true, bound);
    }

    /** @param bound the value the figure must stay under @return the target */
    static Target below(double bound) {
        return new Target(false, bound);
    }

    /** @param value a measured value @return whether it meets the target */
    boolean met(double value) {
        return atLeast ? value >= bound : value < bound;
    }

    /** @param unit the figure's unit @return e.g. {@code ≥ 10,000 calls/s} or {@code < 100 µs} */
    String describe(Unit unit) {
        return (atLeast ? "≥ " : "< ") + unit.format(bound);
    }
}
