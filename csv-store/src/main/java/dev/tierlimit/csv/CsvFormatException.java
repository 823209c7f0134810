package dev.tierlimit.csv;

import dev.tierlimit.StoreException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Thrown when a file in the data directory cannot be read as the store expects. Causes are an empty
 * file, a missing or duplicate header column, a row with the wrong number of columns, a value that
 * does not parse, a duplicate id and an unknown tier id. The message names the file, the line and
 * the column.
 *
 * <p>The store never changes a file it rejected: fix the line by hand or restore a backup, then open
 * the store again.
 */
public class CsvFormatException extends StoreException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;
    private final int column;

    /**
     * Creates the exception.
     *
     * @param file the file that was read
     * @param line the 1-based line where the problem is; for a record that spans lines, its first line
     * @param column the 1-based column of the problem, or 0 when it concerns the whole row
     * @param columnName the header name of that column, or null when unknown
     * @param problem what is wrong and how to fix it
     */
    public CsvFormatException(Path file, long line, int column, String columnName, String problem) {
        super(location(file, line, column, columnName) + ": " + problem);
        this.file = Objects.requireNonNull(file, "file");
        this.line = line;
        this.column = column;
    }

    private static String location(Path file, long line, int column, String columnName) {
        StringBuilder location = new StringBuilder().append(file).append(", line ").append(line);
        if (column > 0) {
            location.append(", column ").append(column);
            if (columnName != null) {
                location.append(" (").append(columnName).append(')');
            }
        }
        return location.toString();
    }

    /** Returns the file that was read. */
    public Path file() {
        return file;
    }

    /** Returns the 1-based line of the problem. */
    public long line() {
        return line;
    }

    /** Returns the 1-based column of the problem, or 0 when it concerns the whole row. */
    public int column() {
        return column;
    }
}
