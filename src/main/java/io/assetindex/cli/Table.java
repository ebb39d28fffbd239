package io.assetindex.cli;

import io.assetindex.util.Text;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Left-aligned columns for human output; cells have control characters escaped. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;
    private final boolean hasHeader;

    private Table(int columns, String[] header) {
        this.columns = columns;
        this.hasHeader = header != null;
        if (header != null) {
            rows.add(header.clone());
        }
    }

    static Table withHeader(String... header) {
        return new Table(header.length, header);
    }

    static Table plain(int columns) {
        return new Table(columns, null);
    }

    Table add(Object... cells) {
        String[] row = new String[columns];
        for (int i = 0; i < columns; i++) {
            Object cell = i < cells.length ? cells[i] : null;
            row[i] = cell == null ? "-" : Text.escapeControls(cell.toString());
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.size() == (hasHeader ? 1 : 0);
    }

    void print(PrintWriter out, String indent) {
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < columns; i++) {
                line.append(row[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
