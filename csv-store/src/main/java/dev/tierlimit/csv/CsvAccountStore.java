package dev.tierlimit.csv;

import dev.tierlimit.Account;
import dev.tierlimit.AccountNotFoundException;
import dev.tierlimit.AccountStore;
import dev.tierlimit.TierCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link AccountStore} of a {@link CsvStore}, kept in {@code users.csv}.
 *
 * <p>Lookups read memory without locking. {@link #insert} and {@link #updateTier} rewrite the file
 * before they return (see {@link RewrittenFile} for how concurrent calls share writes). Each record
 * keeps the cells it was read with, and a change writes only the cell that changed. Columns this
 * store does not know, and the exact text of the ones it does, therefore survive every rewrite.
 */
final class CsvAccountStore extends RewrittenFile implements AccountStore {

    static final String FILE_NAME = "users.csv";
    static final String ID = "id";
    static final String EMAIL = "email";
    static final String CREATED_AT = "created_at";
    static final String TIER = "subscription_tier";
    static final List<String> COLUMNS = List.of(ID, EMAIL, CREATED_AT, TIER);

    /** An account and the cells of its record, in the file's column order. */
    record Entry(Account account, String[] cells) {
    }

    private final TierCatalog catalog;
    private final Lifecycle lifecycle;
    private final int idColumn;
    private final int emailColumn;
    private final int createdColumn;
    private final int tierColumn;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** Account ids in creation order; guarded by {@link #lock}. */
    private final List<String> order = new ArrayList<>();

    /**
     * Creates the store over already validated records.
     *
     * @param header the file's columns, which include {@link #COLUMNS}
     * @param loaded the records, in file order
     */
    CsvAccountStore(Path file, TextStyle style, List<String> header, List<Entry> loaded, TierCatalog catalog,
            Lifecycle lifecycle) {
        super(file, style, header);
        this.catalog = catalog;
        this.lifecycle = lifecycle;
        this.idColumn = indexOf(header, ID);
        this.emailColumn = indexOf(header, EMAIL);
        this.createdColumn = indexOf(header, CREATED_AT);
        this.tierColumn = indexOf(header, TIER);
        for (Entry entry : loaded) {
            entries.put(entry.account().id(), entry);
            order.add(entry.account().id());
        }
    }

    private static int indexOf(List<String> header, String column) {
        for (int i = 0; i < header.size(); i++) {
            if (CsvTable.normalize(header.get(i)).equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException("header " + header + " has no column " + column);
    }

    @Override
    public Optional<Account> find(String id) {
        Entry entry = id == null ? null : entries.get(id);
        return entry == null ? Optional.empty() : Optional.of(entry.account());
    }

    /**
     * Stores a new account and returns once {@code users.csv} contains it.
     *
     * @throws IllegalStateException if an account with the same id exists, or the store is closed
     *
     * @throws dev.tierlimit.UnknownTierException if the catalog has no tier {@code account.tierId()}
     * @throws dev.tierlimit.StoreException if the write failed; the account is then not stored
     */
    @Override
    public void insert(Account account) {
        catalog.get(account.tierId());
        lifecycle.run(() -> {
            String[] cells = new String[header().size()];
            Arrays.fill(cells, "");
            cells[idColumn] = account.id();
            cells[emailColumn] = account.email();
            cells[createdColumn] = CsvValues.formatTime(account.createdAt());
            cells[tierColumn] = account.tierId();
            Entry entry = new Entry(account, cells);
            long change;
            synchronized (lock) {
                if (entries.putIfAbsent(account.id(), entry) != null) {
                    throw new IllegalStateException("account " + account.id() + " already exists");
                }
                order.add(account.id());
                change = changed();
            }
            commit(change, () -> {
                if (entries.remove(account.id(), entry)) {
                    order.remove(order.lastIndexOf(account.id()));
                }
            });
        });
    }

    /**
     * Sets the tier of account {@code id}, returns once {@code users.csv} contains it, and returns the
     * updated account. Setting the current tier writes nothing.
     *
     * @throws AccountNotFoundException if there is no such account
     *
     * @throws dev.tierlimit.UnknownTierException if the catalog has no tier {@code tierId}
     * @throws dev.tierlimit.StoreException if the write failed; the previous tier then stays
     * @throws IllegalStateException if the store is closed
     */
    @Override
    public Account updateTier(String id, String tierId) {
        catalog.get(tierId);
        return lifecycle.call(() -> {
            Entry previous;
            Entry updated;
            long change;
            synchronized (lock) {
                previous = entries.get(id);
                if (previous == null) {
                    throw new AccountNotFoundException(id);
                }
                if (previous.account().tierId().equals(tierId)) {
                    return previous.account();
                }
                String[] cells = previous.cells().clone();
                cells[tierColumn] = tierId;
                updated = new Entry(previous.account().withTierId(tierId), cells);
                entries.put(id, updated);
                change = changed();
            }
            commit(change, () -> entries.replace(id, updated, previous));
            return updated.account();
        });
    }

    @Override
    public List<Account> list() {
        synchronized (lock) {
            List<Account> accounts = new ArrayList<>(order.size());
            for (String id : order) {
                accounts.add(entries.get(id).account());
            }
            return accounts;
        }
    }

    @Override
    public long count() {
        return entries.mappingCount();
    }

    @Override
    protected List<String[]> records() {
        List<String[]> records = new ArrayList<>(order.size());
        for (String id : order) {
            records.add(entries.get(id).cells());
        }
        return records;
    }
}
