package org.infrakit.instance.file.impl;

/**
 * Go's {@code json.Indent(dst, src, "", "")}: the layout of {@code json.MarshalIndent(v, "", "")},
 * which is how the reference file plugin writes instance files. Every object member and array
 * element goes on a line of its own without indentation, {@code "key": value} has one space after
 * the colon, empty objects and arrays stay {@code {}} and {@code []}, and there is no trailing
 * newline. String contents are copied untouched.
 */
final class InstanceFileLayout {
    private InstanceFileLayout() {
    }

    /**
     * @param json well-formed JSON (compact or not)
     * @return the same JSON in Go's {@code MarshalIndent(v, "", "")} layout
     */
    static String indent(String json) {
        StringBuilder out = new StringBuilder(json.length() + json.length() / 8);
        boolean inString = false;
        boolean escaped = false;
        // Go delays the newline after '{' or '[' so that an empty object or array stays on one line.
        boolean needNewline = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                out.append(c);
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                continue;
            }
            if (needNewline && c != '}' && c != ']') {
                needNewline = false;
                out.append('\n');
            }
            switch (c) {
                case '"' -> {
                    inString = true;
                    out.append(c);
                }
                case '{', '[' -> {
                    needNewline = true;
                    out.append(c);
                }
                case ',' -> out.append(",\n");
                case ':' -> out.append(": ");
                case '}', ']' -> {
                    if (needNewline) {
                        needNewline = false;
                    } else {
                        out.append('\n');
                    }
                    out.append(c);
                }
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
