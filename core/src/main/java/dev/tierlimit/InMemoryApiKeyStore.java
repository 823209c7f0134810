package dev.tierlimit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** An {@link ApiKeyStore} in maps, indexed by id and by hash. Thread-safe. */
public final class InMemoryApiKeyStore implements ApiKeyStore {

    private final ConcurrentHashMap<String, ApiKey> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> idByHash = new ConcurrentHashMap<>();
    /** Insertion order per id, because keys issued in the same millisecond share a creation time. */
    private final ConcurrentHashMap<String, Long> issueOrder = new ConcurrentHashMap<>();
    private final AtomicLong nextIssue = new AtomicLong();

    @Override
    public synchronized void insert(ApiKey key) {
        if (byId.containsKey(key.id()) || idByHash.containsKey(key.hash())) {
            throw new IllegalStateException("an API key with id " + key.id() + " or the same hash already exists");
        }
        byId.put(key.id(), key);
        idByHash.put(key.hash(), key.id());
        issueOrder.put(key.id(), nextIssue.getAndIncrement());
    }

    @Override
    public synchronized void update(ApiKey key) {
        ApiKey previous = byId.get(key.id());
        if (previous == null) {
            throw new IllegalStateException("no API key with id " + key.id() + " to update");
        }
        if (!previous.hash().equals(key.hash())) {
            throw new IllegalStateException("the hash of API key " + key.id() + " cannot change; issue a new key");
        }
        byId.put(key.id(), key);
    }

    @Override
    public Optional<ApiKey> findByHash(String hashHex) {
        String id = idByHash.get(hashHex);
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
    }

    @Override
    public Optional<ApiKey> findById(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
    }

    @Override
    public List<ApiKey> findByAccount(String accountId) {
        List<ApiKey> keys = new ArrayList<>();
        for (ApiKey key : byId.values()) {
            if (key.accountId().equals(accountId)) {
                keys.add(key);
            }
        }
        keys.sort(Comparator.comparing(key -> issueOrder.get(key.id())));
        return keys;
    }

    @Override
    public void recordLastUsed(String id, Instant at) {
        byId.computeIfPresent(id, (key, stored) -> stored.withLastUsedAt(at));
    }

    @Override
    public long count() {
        return byId.mappingCount();
    }
}
