package org.infrakit.bench;

import java.util.List;

/** One benchmark of the project: it measures, and says how. */
interface Benchmark {
    /** @return the short name {@code --only} selects it by, e.g. {@code rpc} */
    String id();

    /** @return the heading of its section in the report */
    String title();

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
     * @param method how they were measured, one sentence per item, for people
     * @param notes anything left out, and why
     */
    record Outcome(List<Figure> figures, List<String> method, List<String> notes) {
        /** Canonical constructor: the lists are copied. */
        public Outcome {
            figures = List.copyOf(figures);
            method = List.copyOf(method);
            notes = List.copyOf(notes);
        }
    }
}
