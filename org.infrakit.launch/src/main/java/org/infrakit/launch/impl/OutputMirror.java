package org.infrakit.launch.impl;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The output of one plugin on its way to the log: every line goes to the sink, up to a rate
 * limit, and the most recent lines are kept for error messages (a plugin that fails to start is
 * reported with what it printed). Past the limit lines are counted, not logged, so a plugin that
 * floods its output costs the log a note per second instead of the whole flood; reading never
 * stops, so the plugin never blocks on a full pipe. Thread-safe (stdout and stderr feed it
 * from two threads).
 */
final class OutputMirror {
    /** Longest line kept, in bytes of input. */
    static final int MAX_LINE_BYTES = 4096;
    private static final int RECENT = 10;
    private static final int RECENT_CHARS = 300;

    private final String name;
    private final LineSink sink;
    private final int linesPerSecond;
    private final LongSupplier nanoTime;
    private final ArrayDeque<String> recent = new ArrayDeque<>();
    private long windowStart;
    private int windowLines;
    private long suppressed;

    /**
     * @param name the plugin name
     * @param sink where lines go
     * @param linesPerSecond how many lines a second are logged at most
     * @param nanoTime the monotonic clock
     */
    OutputMirror(String name, LineSink sink, int linesPerSecond, LongSupplier nanoTime) {
        this.name = name;
        this.sink = sink;
        this.linesPerSecond = linesPerSecond;
        this.nanoTime = nanoTime;
        this.windowStart = nanoTime.getAsLong();
    }

    /** @return a new splitter feeding this mirror, for one stream */
    LineSplitter splitter() {
        return new LineSplitter(MAX_LINE_BYTES, this::line);
    }

    /** @param text one cleaned line */
    void line(String text) {
        String note = null;
        boolean log;
        synchronized (this) {
            recent.addLast(text.length() > RECENT_CHARS ? text.substring(0, RECENT_CHARS) + "..." : text);
            if (recent.size() > RECENT) {
                recent.removeFirst();
            }
            long now = nanoTime.getAsLong();
            if (now - windowStart >= 1_000_000_000L) {
                note = suppressedNote();
                windowStart = now;
                windowLines = 0;
            }
            log = windowLines < linesPerSecond;
            if (log) {
                windowLines++;
            } else {
                suppressed++;
            }
        }
        if (note != null) {
            sink.line(name, note);
        }
        if (log) {
            sink.line(name, text);
        }
    }

    /** Logs the note about lines not logged, if any (when a stream ends). */
    void flushNote() {
        String note;
        synchronized (this) {
            note = suppressedNote();
        }
        if (note != null) {
            sink.line(name, note);
        }
    }

    private String suppressedNote() {
        if (suppressed == 0) {
            return null;
        }
        String note = "(" + suppressed + " lines of output not logged: more than " + linesPerSecond
                + " lines a second)";
        suppressed = 0;
        return note;
    }

    /** @return the most recent lines, oldest first */
    synchronized List<String> recent() {
        return List.copyOf(recent);
    }

    /** Forgets the recent lines (a new process starts). */
    synchronized void clearRecent() {
        recent.clear();
    }

    /** @return the recent lines for an error message: {@code ; last output: a | b} */
    String recentForMessage() {
        List<String> lines = recent();
        return lines.isEmpty() ? "; it printed nothing" : "; last output: " + String.join(" | ", lines);
    }
}
