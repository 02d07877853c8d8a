package org.infrakit.launch.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class OutputMirrorTest {
    private final List<String> lines = new ArrayList<>();
    private final AtomicLong now = new AtomicLong();

    private OutputMirror mirror(int perSecond) {
        return new OutputMirror("p", (plugin, line) -> lines.add(plugin + "|" + line), perSecond, now::get);
    }

    private static void feed(LineSplitter s, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        s.feed(b, 0, b.length);
    }

    @Test
    void splitsLinesAcrossChunksAndKeepsAnUnterminatedLastLine() {
        LineSplitter s = mirror(100).splitter();
        feed(s, "one\r\ntw");
        feed(s, "o\n\nthree");
        assertThat(lines).containsExactly("p|one", "p|two", "p|");
        s.flush();
        assertThat(lines).containsExactly("p|one", "p|two", "p|", "p|three");
    }

    @Test
    void replacesControlCharactersAndInvalidUtf8() {
        LineSplitter s = mirror(100).splitter();
        byte[] junk = {'a', 0, 0x1b, '[', '3', '1', 'm', (byte) 0xff, (byte) 0xc3, (byte) 0xa9, '\t', 'b', '\r', 'c', '\n'};
        s.feed(junk, 0, junk.length);
        assertThat(lines).containsExactly("p|a??[31m\ufffd\u00e9\tb?c");
    }

    @Test
    void cutsLongLinesAndSaysHowMuchWasDropped() {
        LineSplitter s = mirror(100).splitter();
        feed(s, "x".repeat(OutputMirror.MAX_LINE_BYTES + 10) + "\nnext\n");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("p|" + "x".repeat(OutputMirror.MAX_LINE_BYTES) + " ... [line cut: 10 more bytes]");
        assertThat(lines.get(1)).isEqualTo("p|next");
    }

    @Test
    void countsLinesOverTheRateLimitAndReportsThemOnceASecond() {
        OutputMirror m = mirror(3);
        for (int i = 0; i < 10; i++) {
            m.line("l" + i);
        }
        assertThat(lines).containsExactly("p|l0", "p|l1", "p|l2");
        now.addAndGet(1_000_000_000L);
        m.line("later");
        assertThat(lines).containsExactly("p|l0", "p|l1", "p|l2",
                "p|(7 lines of output not logged: more than 3 lines a second)", "p|later");
        // the recent lines keep everything, for error messages
        assertThat(m.recent()).endsWith("l8", "l9", "later");
    }

    @Test
    void theNoteIsFlushedWhenTheStreamEnds() {
        OutputMirror m = mirror(1);
        m.line("a");
        m.line("b");
        m.flushNote();
        assertThat(lines).containsExactly("p|a", "p|(1 lines of output not logged: more than 1 lines a second)");
    }

    @Test
    void recentLinesForMessages() {
        OutputMirror m = mirror(100);
        assertThat(m.recentForMessage()).isEqualTo("; it printed nothing");
        for (int i = 0; i < 15; i++) {
            m.line("l" + i);
        }
        assertThat(m.recent()).hasSize(10).startsWith("l5").endsWith("l14");
        assertThat(m.recentForMessage()).startsWith("; last output: l5 | l6").endsWith("| l14");
        m.clearRecent();
        assertThat(m.recent()).isEmpty();
    }
}
