package org.infrakit.shell.verbs;

import org.infrakit.rpc.json.ProtocolJson;

/** JSON as the verbs print it: compact for programs, indented for people. */
final class JsonText {
    private JsonText() {
    }

    /** @return the value as compact JSON in the wire spelling, with a line break */
    static String compact(Object value) {
        return ProtocolJson.write(value) + "\n";
    }

    /** @return the value as indented JSON, with a line break */
    static String indented(Object value) {
        return indent(ProtocolJson.write(value)) + "\n";
    }

    /**
     * Indents compact JSON the way Go's {@code json.MarshalIndent(v, "", "  ")} does: one member or
     * element per line, two spaces per level, {@code "key": value}, empty objects and arrays kept as
     * <code>{}</code> and {@code []}. Works on the characters, so strings and numbers keep their exact
     * spelling.
     *
     * @param compact compact JSON (no insignificant white space)
     * @return the indented text, without a final line break
     */
    static String indent(String compact) {
        StringBuilder b = new StringBuilder(compact.length() * 2);
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < compact.length(); i++) {
            char c = compact.charAt(i);
            if (inString) {
                b.append(c);
                if (c == '\\') {
                    b.append(compact.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    inString = true;
                    b.append(c);
                }
                case '{', '[' -> {
                    char close = c == '{' ? '}' : ']';
                    if (i + 1 < compact.length() && compact.charAt(i + 1) == close) {
                        b.append(c).append(close);
                        i++;
                    } else {
                        b.append(c);
                        newline(b, ++depth);
                    }
                }
                case '}', ']' -> {
                    newline(b, --depth);
                    b.append(c);
                }
                case ',' -> {
                    b.append(c);
                    newline(b, depth);
                }
                case ':' -> b.append(": ");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static void newline(StringBuilder b, int depth) {
        b.append('\n');
        b.append("  ".repeat(Math.max(0, depth)));
    }
}
