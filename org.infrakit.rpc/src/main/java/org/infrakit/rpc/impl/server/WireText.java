package org.infrakit.rpc.impl.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Text forms the reference produces that the JSON codec does not: Go's {@code %q} and raw-JSON compaction. */
final class WireText {
    private WireText() {
    }

    /**
     * Go's {@code strconv.Quote}: double quotes, backslash escapes for quote and backslash,
     * the short escapes of Go ({@code a b f n r t v} after a backslash), {@code x} with two hex digits for
     * other ASCII controls, {@code u}/{@code U} with hex digits for non-printable code points; printable characters as they are.
     *
     * @param s the text
     * @return the quoted text
     */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length();) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case 0x07 -> b.append("\\a");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 0x0b -> b.append("\\v");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", c));
                    } else if (c == ' ' || isPrintable(c)) {
                        b.appendCodePoint(c);
                    } else if (c < 0x10000) {
                        b.append(String.format("\\u%04x", c));
                    } else {
                        b.append(String.format("\\U%08x", c));
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Go's unicode.IsPrint: letters, marks, numbers, punctuation and symbols (spaces other than U+0020 are not). */
    private static boolean isPrintable(int c) {
        return switch (Character.getType(c)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                    Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
                    Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                    Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    /**
     * Go's {@code json.Compact} with HTML escaping, as its encoder applies to a {@code RawMessage}:
     * white space outside strings is dropped, and inside strings {@code < > &} U+2028 U+2029 are
     * escaped; every other byte (escapes included) is kept as sent.
     *
     * @param json well-formed JSON bytes
     * @param from first byte of the value
     * @param to end of the value (exclusive)
     * @return the compact text
     */
    static String compact(byte[] json, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        boolean inString = false;
        boolean escaped = false;
        for (int i = from; i < to; i++) {
            byte c = json[i];
            if (!inString) {
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    continue;
                }
                if (c == '"') {
                    inString = true;
                }
                out.write(c);
                continue;
            }
            if (escaped) {
                escaped = false;
                out.write(c);
            } else if (c == '\\') {
                escaped = true;
                out.write(c);
            } else if (c == '"') {
                inString = false;
                out.write(c);
            } else if (c == '<' || c == '>' || c == '&') {
                out.writeBytes(String.format("\\u%04x", (int) c).getBytes(StandardCharsets.US_ASCII));
            } else if (c == (byte) 0xE2 && i + 2 < to && json[i + 1] == (byte) 0x80
                    && (json[i + 2] == (byte) 0xA8 || json[i + 2] == (byte) 0xA9)) {
                out.writeBytes((json[i + 2] == (byte) 0xA8 ? "\\u2028" : "\\u2029").getBytes(StandardCharsets.US_ASCII));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
