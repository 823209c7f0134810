package dev.tierlimit.csv;

import dev.tierlimit.ApiKey;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code api_keys.csv} into a {@link CsvApiKeyStore}, creating the file when it is missing.
 * Every record is validated before the store is built; a file with an error is left as it was.
 */
final class ApiKeyLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyLoader.class);

    private ApiKeyLoader() {
    }

    /**
     * Loads the API keys of {@code directory}.
     *
     * @throws CsvFormatException if the file is malformed or repeats an id or a hash
     * @throws dev.tierlimit.StoreException if reading or creating the file fails
     */
    static CsvApiKeyStore load(Path directory, Lifecycle lifecycle) {
        Path file = directory.resolve(CsvApiKeyStore.FILE_NAME);
        List<String> columns = CsvApiKeyStore.columnNames();
        CsvTable table = CsvFiles.readIfExists(file, columns);
        if (table == null) {
            CsvFiles.write(file, TextStyle.DEFAULT, columns, List.of());
            LOG.info("Created {} with no API keys", file);
            return new CsvApiKeyStore(file, TextStyle.DEFAULT, columns, List.of(), lifecycle);
        }
        int[] indexes = table.requireColumns(columns);
        Map<String, Long> lineById = new HashMap<>();
        Map<String, Long> lineByHash = new HashMap<>();
        List<CsvApiKeyStore.Entry> entries = new ArrayList<>(table.rows().size());
        for (CsvRow row : table.rows()) {
            ApiKey key = parse(table, row, indexes);
            requireUnique(table, row, indexes[0], lineById, "key id \"" + key.id() + "\"");
            // The hash is not quoted in the message: it is derived from a secret and has no use in a log.
            requireUnique(table, row, indexes[4], lineByHash, "key hash");
            entries.add(new CsvApiKeyStore.Entry(key, row.cells()));
        }
        return new CsvApiKeyStore(file, table.style(), table.header(), entries, lifecycle);
    }

    private static ApiKey parse(CsvTable table, CsvRow row, int[] indexes) {
        String[] cells = row.cells();
        if (cells[indexes[0]].isEmpty()) {
            throw table.error(row, indexes[0], "the key id is empty; every key needs its id");
        }
        if (cells[indexes[1]].isEmpty()) {
            throw table.error(row, indexes[1], "the account id is empty; every key belongs to an account");
        }
        Instant createdAt = CsvValues.parseTime(table, row, indexes[5]);
        Instant lastUsedAt = CsvValues.parseOptionalTime(table, row, indexes[6]);
        Instant revokedAt = CsvValues.parseOptionalTime(table, row, indexes[7]);
        Instant expiresAt = CsvValues.parseOptionalTime(table, row, indexes[8]);
        try {
            return new ApiKey(cells[indexes[0]], cells[indexes[1]], cells[indexes[2]], cells[indexes[3]], cells[indexes[4]],
                    createdAt, lastUsedAt, revokedAt, expiresAt);
        } catch (IllegalArgumentException e) {
            // The only component ApiKey checks beyond null is the hash.
            throw table.error(row, indexes[4], "invalid key hash; it must be the SHA-256 of the key as 64 lower-case"
                    + " hex digits");
        }
    }

    private static void requireUnique(CsvTable table, CsvRow row, int column, Map<String, Long> lines,
            String valueName) {
        Long earlier = lines.putIfAbsent(row.cells()[column], row.line());
        if (earlier != null) {
            throw table.error(row, column, "duplicate " + valueName + "; line " + earlier
                    + " has the same value. Remove one of the records");
        }
    }
}
