package dev.tierlimit.csv;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Parses and formats the typed values of CSV cells, with errors that name the file, line and column. */
final class CsvValues {

    private CsvValues() {
    }

    /**
     * Parses an ISO-8601 time with a zone offset, such as {@code 2024-05-01T12:00:00Z} or
     * {@code 2024-05-01T14:00:00+02:00}.
     *
     * @throws CsvFormatException if the cell is empty or not such a time
     */
    static Instant parseTime(CsvTable table, CsvRow row, int index) {
        String text = row.cells()[index];
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                throw table.error(row, index, "invalid time \"" + text + "\"; write an ISO-8601 time with a zone offset,"
                        + " for example 2024-05-01T12:00:00Z");
            }
        }
    }

    /** Parses like {@link #parseTime} but returns null for an empty cell. */
    static Instant parseOptionalTime(CsvTable table, CsvRow row, int index) {
        return row.cells()[index].isEmpty() ? null : parseTime(table, row, index);
    }

    /**
     * Parses a whole number of at least zero.
     *
     * @throws CsvFormatException if the cell is not one
     */
    static long parseCount(CsvTable table, CsvRow row, int index) {
        String text = row.cells()[index];
        try {
            long value = Long.parseLong(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below with the same message as a negative number.
        }
        throw table.error(row, index, "invalid count \"" + text + "\"; write a whole number of 0 or more");
    }

    /** Parses a whole number, negative ones included. */
    static long parseLong(CsvTable table, CsvRow row, int index) {
        String text = row.cells()[index];
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw table.error(row, index, "invalid number \"" + text + "\"; write a whole number");
        }
    }

    /** Formats a time as ISO-8601 in UTC, or the empty string for null. */
    static String formatTime(Instant time) {
        return time == null ? "" : time.toString();
    }
}
