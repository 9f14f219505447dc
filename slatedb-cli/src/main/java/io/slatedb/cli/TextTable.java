package io.slatedb.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Rows of cells printed as left-aligned columns separated by two spaces, without trailing blanks. */
public final class TextTable {

    private final List<String[]> rows = new ArrayList<>();

    /** A table whose first row is {@code headers} (or simply the first row, for a label/value list). */
    public TextTable(String... headers) {
        rows.add(headers.clone());
    }

    public TextTable add(String... cells) {
        rows.add(cells.clone());
        return this;
    }

    /** Prints every row, each line starting with {@code indent}. */
    public void print(PrintWriter out, String indent) {
        int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
