package dev.tierlimit.csv;

import dev.tierlimit.LimiterSnapshot;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes {@code limiter_state.csv}: a {@link LimiterSnapshot} as one record per key and
 * window length, with the window's slot counts oldest first, separated by spaces.
 */
final class LimiterStateFile {

    static final String FILE_NAME = "limiter_state.csv";
    static final List<String> COLUMNS =
            List.of("key", "precision", "taken_at", "latest_millis", "window_millis", "newest_slot", "counts");

    private static final int KEY = 0;
    private static final int PRECISION = 1;
    private static final int TAKEN_AT = 2;
    private static final int LATEST = 3;
    private static final int WINDOW = 4;
    private static final int NEWEST_SLOT = 5;
    private static final int COUNTS = 6;

    private LimiterStateFile() {
    }

    /**
     * Replaces the file with {@code snapshot}, atomically.
     *
     * @throws dev.tierlimit.StoreException if the write failed; the previous file is then unchanged
     */
    static void write(Path file, LimiterSnapshot snapshot) {
        List<String[]> records = new ArrayList<>();
        String precision = Integer.toString(snapshot.precision());
        String takenAt = CsvValues.formatTime(snapshot.takenAt());
        for (LimiterSnapshot.KeySnapshot key : snapshot.keys()) {
            String latest = Long.toString(key.latestMillis());
            for (LimiterSnapshot.WindowSnapshot window : key.windows()) {
                records.add(new String[] {key.key(), precision, takenAt, latest, Long.toString(window.windowMillis()),
                    Long.toString(window.newestSlot()), joinCounts(window.counts())});
            }
        }
        CsvFiles.write(file, TextStyle.DEFAULT, COLUMNS, records);
    }

    private static String joinCounts(long[] counts) {
        StringBuilder text = new StringBuilder(counts.length * 2);
        for (int i = 0; i < counts.length; i++) {
            text.append(i > 0 ? " " : "").append(counts[i]);
        }
        return text.toString();
    }

    /**
     * Reads the snapshot in {@code file}.
     *
     * @return the snapshot, or null when the file does not exist or contains no keys
     * @throws CsvFormatException if the file is malformed or its records disagree with each other
     * @throws dev.tierlimit.StoreException if reading fails
     */
    static LimiterSnapshot read(Path file) {
        CsvTable table = CsvFiles.readIfExists(file, COLUMNS);
        if (table == null) {
            return null;
        }
        int[] columns = table.requireColumns(COLUMNS);
        if (table.rows().isEmpty()) {
            return null;
        }

        CsvRow first = table.rows().get(0);
        long precision = CsvValues.parseCount(table, first, columns[PRECISION]);
        if (precision < 1 || precision > Integer.MAX_VALUE) {
            throw table.error(first, columns[PRECISION], "invalid precision " + precision + "; it must be at least 1");
        }
        Instant takenAt = CsvValues.parseTime(table, first, columns[TAKEN_AT]);

        Map<String, List<LimiterSnapshot.WindowSnapshot>> windowsByKey = new LinkedHashMap<>();
        Map<String, Long> latestByKey = new LinkedHashMap<>();
        for (CsvRow row : table.rows()) {
            requireSame(table, row, columns[PRECISION], first);
            String key = row.cells()[columns[KEY]];
            long latest = CsvValues.parseLong(table, row, columns[LATEST]);
            Long earlierLatest = latestByKey.putIfAbsent(key, latest);
            if (earlierLatest != null && earlierLatest != latest) {
                throw table.error(row, columns[LATEST], "key \"" + key + "\" has latest_millis " + earlierLatest
                        + " on an earlier line; every record of one key must have the same value");
            }
            windowsByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(window(table, row, columns, (int) precision, latest));
        }

        List<LimiterSnapshot.KeySnapshot> keys = new ArrayList<>(windowsByKey.size());
        for (Map.Entry<String, List<LimiterSnapshot.WindowSnapshot>> entry : windowsByKey.entrySet()) {
            keys.add(new LimiterSnapshot.KeySnapshot(entry.getKey(), latestByKey.get(entry.getKey()), entry.getValue()));
        }
        return new LimiterSnapshot((int) precision, takenAt, keys);
    }

    private static void requireSame(CsvTable table, CsvRow row, int column, CsvRow first) {
        if (!row.cells()[column].equals(first.cells()[column])) {
            throw table.error(row, column, "value \"" + row.cells()[column] + "\" differs from \""
                    + first.cells()[column] + "\" on line " + first.line() + "; one snapshot has one precision");
        }
    }

    private static LimiterSnapshot.WindowSnapshot window(CsvTable table, CsvRow row, int[] columns, int precision,
            long latestMillis) {
        long windowMillis = CsvValues.parseCount(table, row, columns[WINDOW]);
        if (windowMillis < 1 || windowMillis % precision != 0) {
            throw table.error(row, columns[WINDOW], "invalid window length " + windowMillis + " ms; it must be a positive"
                    + " multiple of the precision " + precision);
        }
        long newestSlot = CsvValues.parseLong(table, row, columns[NEWEST_SLOT]);
        long expectedSlot = Math.floorDiv(latestMillis, windowMillis / precision);
        if (newestSlot != expectedSlot) {
            throw table.error(row, columns[NEWEST_SLOT], "newest slot " + newestSlot + " does not contain latest_millis "
                    + latestMillis + ", which is in slot " + expectedSlot);
        }
        return new LimiterSnapshot.WindowSnapshot(windowMillis, newestSlot, parseCounts(table, row, columns[COUNTS], precision));
    }

    private static long[] parseCounts(CsvTable table, CsvRow row, int column, int precision) {
        String text = row.cells()[column].strip();
        String[] parts = text.isEmpty() ? new String[0] : text.split(" +");
        if (parts.length != precision + 1) {
            throw table.error(row, column, "has " + parts.length + " slot counts; precision " + precision + " needs "
                    + (precision + 1) + ", separated by spaces");
        }
        long[] counts = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                counts[i] = Long.parseLong(parts[i]);
            } catch (NumberFormatException e) {
                counts[i] = -1;
            }
            if (counts[i] < 0) {
                throw table.error(row, column, "slot count " + (i + 1) + " is \"" + parts[i]
                        + "\"; counts are whole numbers of 0 or more");
            }
        }
        return counts;
    }
}
