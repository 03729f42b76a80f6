package org.sdex.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Left-aligned text columns. Widths are computed over all rows added, so rows can be printed
 * one at a time between other lines (a plugin's parameters under the plugin) and still line up.
 */
final class Table {
    private final String indent;
    private final List<List<String>> rows = new ArrayList<>();
    private int[] widths = new int[0];

    Table(String indent) { this.indent = indent; }

    Table add(String... cells) {
        rows.add(List.of(cells));
        if (cells.length > widths.length) widths = java.util.Arrays.copyOf(widths, cells.length);
        for (int i = 0; i < cells.length; i++) widths[i] = Math.max(widths[i], cells[i].length());
        return this;
    }

    /** One row, padded to the table's widths; the last cell is not padded. */
    String format(String... cells) {
        StringBuilder sb = new StringBuilder(indent);
        for (int i = 0; i < cells.length; i++) {
            sb.append(cells[i]);
            if (i < cells.length - 1) sb.append(" ".repeat(widths[i] - cells[i].length() + 2));
        }
        return sb.toString().stripTrailing();
    }

    /** All rows in the order added. */
    String render() {
        StringBuilder sb = new StringBuilder();
        for (List<String> r : rows) sb.append(format(r.toArray(String[]::new))).append('\n');
        return sb.toString();
    }
}
