package org.infrakit.shell.verbs;

import java.util.ArrayList;
import java.util.List;

/**
 * A table for people whose columns are as wide as their widest cell plus two spaces (the last
 * column is not padded). Tables whose layout the 2017 CLI fixed use its format strings instead.
 */
final class TextTable {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    /** @param header the column titles (printed or not, see {@link #render(boolean)}); they count for the widths */
    TextTable(String... header) {
        this.columns = header.length;
        rows.add(header);
    }

    TextTable row(String... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
        }
        rows.add(cells);
        return this;
    }

    /** @param withHeader whether to print the header line */
    String render(boolean withHeader) {
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], cell(r, c).length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (int i = withHeader ? 0 : 1; i < rows.size(); i++) {
            String[] r = rows.get(i);
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String s = cell(r, c);
                line.append(s);
                if (c < columns - 1) {
                    line.append(" ".repeat(width[c] - s.length() + 2));
                }
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }

    private static String cell(String[] r, int c) {
        return r[c] == null ? "" : r[c];
    }
}
