package org.infrakit.launch.impl;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into printable lines. Whatever a plugin writes (binary junk, a megabyte
 * without a newline, invalid UTF-8, terminal escapes) comes out as lines of at most
 * {@code maxBytes} bytes of input, decoded as UTF-8 (invalid bytes become U+FFFD), with control
 * characters other than tab replaced by {@code ?}, so nothing a plugin prints can forge log lines
 * or drive a terminal. A line longer than the cap is cut and the rest up to the next newline
 * dropped, with a note of how much. Not thread-safe: one splitter per stream.
 */
final class LineSplitter {
    private final int maxBytes;
    private final Consumer<String> out;
    private final byte[] buf;
    private int len;
    private long dropped;

    /**
     * @param maxBytes the longest line kept, in bytes of input
     * @param out receives each line
     */
    LineSplitter(int maxBytes, Consumer<String> out) {
        this.maxBytes = maxBytes;
        this.out = out;
        this.buf = new byte[maxBytes];
    }

    /** Feeds bytes. */
    void feed(byte[] data, int off, int n) {
        for (int i = off; i < off + n; i++) {
            byte b = data[i];
            if (b == '\n') {
                emit();
            } else if (len < maxBytes) {
                buf[len++] = b;
            } else {
                dropped++;
            }
        }
    }

    /** Emits a last line without a newline, if any (at the end of the stream). */
    void flush() {
        if (len > 0 || dropped > 0) {
            emit();
        }
    }

    private void emit() {
        int n = len;
        if (n > 0 && buf[n - 1] == '\r') {
            n--;
        }
        String text = clean(new String(buf, 0, n, StandardCharsets.UTF_8));
        if (dropped > 0) {
            text = text + " ... [line cut: " + dropped + " more bytes]";
        }
        len = 0;
        dropped = 0;
        out.accept(text);
    }

    private static String clean(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
            if (control) {
                if (b == null) {
                    b = new StringBuilder(s.length()).append(s, 0, i);
                }
                b.append('?');
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }
}
