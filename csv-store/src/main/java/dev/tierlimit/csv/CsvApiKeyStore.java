package dev.tierlimit.csv;

import dev.tierlimit.ApiKey;
import dev.tierlimit.ApiKeyStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The {@link ApiKeyStore} of a {@link CsvStore}, kept in {@code api_keys.csv}: ids, owners, labels,
 * display prefixes, SHA-256 hashes and times. A raw key never reaches this store.
 *
 * <p>Lookups by hash, id and account read memory without locking. {@link #insert} and
 * {@link #update} rewrite the file before they return; {@link #recordLastUsed} only changes memory,
 * and the store's scheduled flush writes it, so authentication never waits for the disk. Each record
 * keeps the cells it was read with, so unknown columns and the exact text of unchanged values survive
 * rewrites.
 */
final class CsvApiKeyStore extends RewrittenFile implements ApiKeyStore {

    static final String FILE_NAME = "api_keys.csv";

    /** A column this store writes, with how a key's value is formatted for it. */
    record Column(String name, Function<ApiKey, String> format) {
    }

    static final List<Column> COLUMNS = List.of(
            new Column("id", ApiKey::id),
            new Column("account_id", ApiKey::accountId),
            new Column("label", ApiKey::label),
            new Column("prefix", ApiKey::prefix),
            new Column("hash", ApiKey::hash),
            new Column("created_at", key -> CsvValues.formatTime(key.createdAt())),
            new Column("last_used_at", key -> CsvValues.formatTime(key.lastUsedAt())),
            new Column("revoked_at", key -> CsvValues.formatTime(key.revokedAt())),
            new Column("expires_at", key -> CsvValues.formatTime(key.expiresAt())));

    /** A key and the cells of its record, in the file's column order. */
    record Entry(ApiKey key, String[] cells) {
    }

    private final Lifecycle lifecycle;
    private final int[] columnIndexes;
    private final ConcurrentHashMap<String, Entry> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> idByHash = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, List<String>> idsByAccount = new ConcurrentHashMap<>();

    /** Key ids in issue order; guarded by {@link #lock}. */
    private final List<String> order = new ArrayList<>();

    /**
     * Creates the store over already validated records.
     *
     * @param header the file's columns, which include every name of {@link #COLUMNS}
     * @param loaded the records, in file order
     */
    CsvApiKeyStore(Path file, TextStyle style, List<String> header, List<Entry> loaded, Lifecycle lifecycle) {
        super(file, style, header);
        this.lifecycle = lifecycle;
        this.columnIndexes = new int[COLUMNS.size()];
        for (int c = 0; c < COLUMNS.size(); c++) {
            columnIndexes[c] = header.stream().map(CsvTable::normalize).toList().indexOf(COLUMNS.get(c).name());
        }
        for (Entry entry : loaded) {
            index(entry);
        }
    }

    static List<String> columnNames() {
        return COLUMNS.stream().map(Column::name).toList();
    }

    private void index(Entry entry) {
        ApiKey key = entry.key();
        byId.put(key.id(), entry);
        idByHash.put(key.hash(), key.id());
        idsByAccount.computeIfAbsent(key.accountId(), account -> new CopyOnWriteArrayList<>()).add(key.id());
        order.add(key.id());
    }

    private void unindex(Entry entry) {
        ApiKey key = entry.key();
        if (!byId.remove(key.id(), entry)) {
            return;
        }
        idByHash.remove(key.hash(), key.id());
        idsByAccount.get(key.accountId()).remove(key.id());
        order.remove(order.lastIndexOf(key.id()));
    }

    /**
     * Stores a new key and returns once {@code api_keys.csv} contains it.
     *
     * @throws IllegalStateException if a key with the same id or hash exists, or the store is closed
     * @throws dev.tierlimit.StoreException if the write failed; the key is then not stored
     */
    @Override
    public void insert(ApiKey key) {
        Objects.requireNonNull(key, "key");
        lifecycle.run(() -> {
            String[] cells = new String[header().size()];
            Arrays.fill(cells, "");
            for (int c = 0; c < COLUMNS.size(); c++) {
                cells[columnIndexes[c]] = COLUMNS.get(c).format().apply(key);
            }
            Entry entry = new Entry(key, cells);
            long change;
            synchronized (lock) {
                if (byId.containsKey(key.id()) || idByHash.containsKey(key.hash())) {
                    throw new IllegalStateException("an API key with id " + key.id() + " or the same hash already exists");
                }
                index(entry);
                change = changed();
            }
            commit(change, () -> unindex(entry));
        });
    }

    /**
     * Replaces the stored key with the same id and returns once {@code api_keys.csv} contains it. A
     * last-used time older than the stored one does not replace it.
     *
     * @throws IllegalStateException if there is no key with that id, the hash differs, or the store is closed
     * @throws dev.tierlimit.StoreException if the write failed; the stored key then stays as it was,
     *     unless its last-used time changed meanwhile, in which case the update stays in memory and the
     *     next flush writes it
     */
    @Override
    public void update(ApiKey key) {
        Objects.requireNonNull(key, "key");
        lifecycle.run(() -> {
            Entry previous;
            Entry updated;
            long change;
            synchronized (lock) {
                previous = byId.get(key.id());
                if (previous == null) {
                    throw new IllegalStateException("no API key with id " + key.id() + " to update");
                }
                if (!previous.key().hash().equals(key.hash())) {
                    throw new IllegalStateException("the hash of API key " + key.id() + " cannot change; issue a new key");
                }
                updated = replaced(previous, key.withLastUsedAt(later(previous.key().lastUsedAt(), key.lastUsedAt())));
                byId.put(key.id(), updated);
                change = changed();
            }
            commit(change, () -> byId.replace(key.id(), updated, previous));
        });
    }

    @Override
    public Optional<ApiKey> findByHash(String hashHex) {
        String id = hashHex == null ? null : idByHash.get(hashHex);
        return findById(id);
    }

    @Override
    public Optional<ApiKey> findById(String id) {
        Entry entry = id == null ? null : byId.get(id);
        return entry == null ? Optional.empty() : Optional.of(entry.key());
    }

    @Override
    public List<ApiKey> findByAccount(String accountId) {
        List<String> ids = accountId == null ? null : idsByAccount.get(accountId);
        if (ids == null) {
            return List.of();
        }
        List<ApiKey> keys = new ArrayList<>(ids.size());
        for (String id : ids) {
            Entry entry = byId.get(id);
            if (entry != null) {
                keys.add(entry.key());
            }
        }
        return keys;
    }

    /**
     * Records the last use of key {@code id} in memory; the next flush writes it. An unknown id, or a
     * time not after the stored one, is ignored.
     *
     * @throws IllegalStateException if the store is closed
     */
    @Override
    public void recordLastUsed(String id, Instant at) {
        Objects.requireNonNull(at, "at");
        lifecycle.checkOpen();
        synchronized (lock) {
            Entry previous = id == null ? null : byId.get(id);
            if (previous == null || Objects.equals(later(previous.key().lastUsedAt(), at), previous.key().lastUsedAt())) {
                return;
            }
            byId.put(id, replaced(previous, previous.key().withLastUsedAt(at)));
            changed();
        }
    }

    @Override
    public long count() {
        return byId.mappingCount();
    }

    @Override
    protected List<String[]> records() {
        List<String[]> records = new ArrayList<>(order.size());
        for (String id : order) {
            records.add(byId.get(id).cells());
        }
        return records;
    }

    /** Returns an entry for {@code key} whose cells differ from {@code previous} only where a value changed. */
    private Entry replaced(Entry previous, ApiKey key) {
        String[] cells = previous.cells().clone();
        for (int c = 0; c < COLUMNS.size(); c++) {
            Function<ApiKey, String> format = COLUMNS.get(c).format();
            String value = format.apply(key);
            if (!value.equals(format.apply(previous.key()))) {
                cells[columnIndexes[c]] = value;
            }
        }
        return new Entry(key, cells);
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
