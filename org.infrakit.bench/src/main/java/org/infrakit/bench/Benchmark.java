package org.infrakit.bench;

import java.util.List;

/** One benchmark of the project: it measures, and says how. */
interface Benchmark {
    /** Where a benchmark's figures go in the report. */
    enum Kind {
        /** The runtime as users run it, driven from another process: the report's main table. */
        HEADLINE,
        /** How cost grows with the number of instances or groups: a table, a plot and verdicts. */
        GROWTH,
        /** Where the runtime's time goes: profile summaries. */
        PROFILE,
        /** Parts measured on their own (in one JVM, or the launch's extras): a table of their own. */
        DIAGNOSTIC
    }

    /** @return the short name {@code --only} selects it by, e.g. {@code rpc} */
    String id();

    /** @return the heading of its section in the report */
    String title();

    /** @return where its figures go in the report */
    default Kind kind() {
        return Kind.DIAGNOSTIC;
    }

    /**
     * Measures. Everything it starts is stopped and everything it writes is removed before it
     * returns, also when it fails.
     *
     * @return the figures, how they were measured, and notes
     * @throws Exception when the benchmark cannot complete; the report says so
     */
    Outcome run() throws Exception;

    /**
     * What a benchmark produced.
     *
     * @param figures the measured figures
     * @param series growth series (for {@link Kind#GROWTH})
     * @param details Markdown lines shown in the report as they are (profile tables)
     * @param method how they were measured, one sentence per item, for people
     * @param notes anything left out, and why
     */
    record Outcome(List<Figure> figures, List<Series> series, List<String> details, List<String> method,
            List<String> notes) {
        /** Canonical constructor: the lists are copied. */
        public Outcome {
            figures = List.copyOf(figures);
            series = List.copyOf(series);
            details = List.copyOf(details);
            method = List.copyOf(method);
            notes = List.copyOf(notes);
        }

        /** Figures only. */
        Outcome(List<Figure> figures, List<String> method, List<String> notes) {
            this(figures, List.of(), List.of(), method, notes);
        }
    }
}
