package dev.tierlimit.csv;

import dev.tierlimit.Account;
import dev.tierlimit.TierCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code users.csv} into a {@link CsvAccountStore}, creating the file when it is missing and
 * migrating a file without a {@code subscription_tier} column.
 *
 * <p>Every record is validated before anything is written, so a file with an error stays exactly as
 * it was. A migration first copies the file to {@code users.csv.bak-<UTC time>}, then rewrites it
 * with the column added at the end and the catalog's default tier in every record; every other
 * column and value is kept as it was.
 */
final class AccountLoader {

    private static final Logger LOG = LoggerFactory.getLogger(AccountLoader.class);
    private static final DateTimeFormatter BACKUP_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final int MAX_LINES_LISTED = 20;

    private AccountLoader() {
    }

    /**
     * Loads the accounts of {@code directory}.
     *
     * @param now the time that names a migration's backup copy
     * @throws CsvFormatException if the file is malformed, repeats an id or names a tier the catalog does not have
     * @throws dev.tierlimit.StoreException if reading, backing up or rewriting fails
     */
    static CsvAccountStore load(Path directory, TierCatalog catalog, Instant now, Lifecycle lifecycle) {
        Path file = directory.resolve(CsvAccountStore.FILE_NAME);
        CsvTable table = CsvFiles.readIfExists(file, CsvAccountStore.COLUMNS);
        if (table == null) {
            CsvFiles.write(file, TextStyle.DEFAULT, CsvAccountStore.COLUMNS, List.of());
            LOG.info("Created {} with no accounts", file);
            return new CsvAccountStore(file, TextStyle.DEFAULT, CsvAccountStore.COLUMNS, List.of(), catalog, lifecycle);
        }
        boolean legacy = table.indexOf(CsvAccountStore.TIER) < 0;
        List<CsvAccountStore.Entry> entries = parse(table, catalog);
        if (!legacy) {
            return new CsvAccountStore(file, table.style(), table.header(), entries, catalog, lifecycle);
        }
        return migrate(table, entries, catalog, now, lifecycle);
    }

    private static List<CsvAccountStore.Entry> parse(CsvTable table, TierCatalog catalog) {
        int[] columns = table.requireColumns(List.of(CsvAccountStore.ID, CsvAccountStore.EMAIL, CsvAccountStore.CREATED_AT));
        int tierColumn = table.indexOf(CsvAccountStore.TIER);
        String defaultTier = catalog.defaultTier().id();
        Map<String, Long> lineById = new HashMap<>();
        List<CsvRow> unknownTiers = new ArrayList<>();
        List<CsvAccountStore.Entry> entries = new ArrayList<>(table.rows().size());
        for (CsvRow row : table.rows()) {
            String[] cells = row.cells();
            String id = cells[columns[0]];
            checkId(table, row, columns[0]);
            Long earlier = lineById.putIfAbsent(id, row.line());
            if (earlier != null) {
                throw table.error(row, columns[0], "duplicate account id \"" + id + "\"; line " + earlier
                        + " has the same id. Remove or rename one of the records");
            }
            Instant createdAt = CsvValues.parseTime(table, row, columns[2]);
            String tierId = tierColumn < 0 ? defaultTier : cells[tierColumn];
            if (catalog.find(tierId).isEmpty()) {
                unknownTiers.add(row);
            }
            entries.add(new CsvAccountStore.Entry(account(table, row, columns[1], id, tierId, createdAt), cells));
        }
        if (!unknownTiers.isEmpty()) {
            throw unknownTierError(table, tierColumn, unknownTiers, catalog);
        }
        return entries;
    }

    private static void checkId(CsvTable table, CsvRow row, int column) {
        try {
            Account.requireValidId(row.cells()[column]);
        } catch (IllegalArgumentException e) {
            throw table.error(row, column, e.getMessage());
        }
    }

    private static Account account(CsvTable table, CsvRow row, int emailColumn, String id, String tierId,
            Instant createdAt) {
        try {
            return new Account(id, row.cells()[emailColumn], tierId, createdAt);
        } catch (IllegalArgumentException e) {
            throw table.error(row, emailColumn, e.getMessage());
        }
    }

    private static CsvFormatException unknownTierError(CsvTable table, int tierColumn, List<CsvRow> rows,
            TierCatalog catalog) {
        CsvRow first = rows.get(0);
        StringBuilder problem = new StringBuilder("unknown tier \"").append(first.cells()[tierColumn])
                .append("\"; known tiers: ").append(String.join(", ", catalog.ids()));
        if (rows.size() > 1) {
            problem.append(". ").append(rows.size() - 1).append(" more records name unknown tiers, on lines ");
            for (int i = 1; i < rows.size() && i <= MAX_LINES_LISTED; i++) {
                CsvRow row = rows.get(i);
                problem.append(i > 1 ? ", " : "").append(row.line()).append(" (\"").append(row.cells()[tierColumn])
                        .append("\")");
            }
            if (rows.size() - 1 > MAX_LINES_LISTED) {
                problem.append(" and others");
            }
        }
        problem.append(". Change them to a known tier or add the tiers to the catalog");
        return table.error(first, tierColumn, problem.toString());
    }

    private static CsvAccountStore migrate(CsvTable table, List<CsvAccountStore.Entry> entries, TierCatalog catalog,
            Instant now, Lifecycle lifecycle) {
        String defaultTier = catalog.defaultTier().id();
        List<String> header = new ArrayList<>(table.header());
        header.add(CsvAccountStore.TIER);
        List<CsvAccountStore.Entry> migrated = new ArrayList<>(entries.size());
        List<String[]> records = new ArrayList<>(entries.size());
        for (CsvAccountStore.Entry entry : entries) {
            String[] cells = Arrays.copyOf(entry.cells(), header.size());
            cells[header.size() - 1] = defaultTier;
            migrated.add(new CsvAccountStore.Entry(entry.account(), cells));
            records.add(cells);
        }

        Path backup = backupPath(table.file(), now);
        AtomicFiles.copyDurably(table.file(), backup);
        CsvFiles.write(table.file(), table.style(), header, records);
        LOG.info("Migrated {}: added column {} with tier \"{}\" to {} accounts; the original is saved as {}",
                table.file(), CsvAccountStore.TIER, defaultTier, entries.size(), backup.getFileName());
        return new CsvAccountStore(table.file(), table.style(), header, migrated, catalog, lifecycle);
    }

    private static Path backupPath(Path file, Instant now) {
        String base = file.getFileName() + ".bak-" + BACKUP_TIME.format(now);
        Path backup = file.resolveSibling(base);
        for (int attempt = 2; Files.exists(backup); attempt++) {
            backup = file.resolveSibling(base + "-" + attempt);
        }
        return backup;
    }
}
