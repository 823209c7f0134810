package dev.tierlimit.csv;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The contents of one CSV file as read: its header, its records and its text style. Columns are
 * found by header name (ignoring case and surrounding spaces), never by position.
 *
 * @param file the file that was read
 * @param style the byte-order mark and line separator the file used
 * @param header the column names as written in the first line
 * @param rows the records after the header, each with as many cells as the header has names
 */
record CsvTable(Path file, TextStyle style, List<String> header, List<CsvRow> rows) {

    CsvTable {
        header = List.copyOf(header);
        rows = List.copyOf(rows);
    }

    /** Returns the 0-based index of column {@code name}, or -1 when the header has no such column. */
    int indexOf(String name) {
        String expected = normalize(name);
        for (int i = 0; i < header.size(); i++) {
            if (normalize(header.get(i)).equals(expected)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Returns the indexes of the named columns, in the order given.
     *
     * @throws CsvFormatException naming line 1, column 1 and every missing column
     */
    int[] requireColumns(List<String> names) {
        int[] indexes = new int[names.size()];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            indexes[i] = indexOf(names.get(i));
            if (indexes[i] < 0) {
                missing.add(names.get(i));
            }
        }
        if (!missing.isEmpty()) {
            throw new CsvFormatException(file, 1, 1, header.get(0), "the header has no column " + String.join(", ", missing)
                    + "; the first line must be a header naming at least the columns " + String.join(",", names)
                    + " (found: " + String.join(",", header) + ")");
        }
        return indexes;
    }

    /** Returns an error at {@code row}'s line and 0-based column {@code index}. */
    CsvFormatException error(CsvRow row, int index, String problem) {
        return new CsvFormatException(file, row.line(), index + 1, header.get(index), problem);
    }

    static String normalize(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }
}
