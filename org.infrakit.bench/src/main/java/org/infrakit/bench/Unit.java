package org.infrakit.bench;

import java.util.Locale;

/** The unit of a figure, and how its values are written in the report. */
enum Unit {
    /** Calls (or round trips) per second. */
    CALLS_PER_SECOND("calls/s", "%,.0f"),
    /** Round trips per second. */
    ROUND_TRIPS_PER_SECOND("round trips/s", "%,.0f"),
    /** Microseconds. */
    MICROS("µs", "%,.1f"),
    /** Milliseconds. */
    MILLIS("ms", "%,.1f"),
    /** Seconds. */
    SECONDS("s", "%,.2f"),
    /** Mebibytes. */
    MEBIBYTES("MiB", "%,.0f"),
    /** A ratio of two figures. */
    TIMES("×", "%,.1f");

    private final String symbol;
    private final String format;

    Unit(String symbol, String format) {
        this.symbol = symbol;
        this.format = format;
    }

    /** @return the unit's symbol */
    String symbol() {
        return symbol;
    }

    /** @param value a value in this unit @return the number alone, e.g. {@code 12,345} */
    String number(double value) {
        return String.format(Locale.ROOT, format, value);
    }

    /** @param value a value in this unit @return the number with its unit, e.g. {@code 12,345 calls/s} */
    String format(double value) {
        return this == TIMES ? number(value) + symbol : number(value) + " " + symbol;
    }
}
