package dev.tierlimit.servlet;

import dev.tierlimit.ApiKey;
import dev.tierlimit.ApiKeyStore;
import dev.tierlimit.InMemoryApiKeyStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** The in-memory key store, counting lookups by hash so a test can tell whether a key reached the store. */
final class CountingKeyStore implements ApiKeyStore {

    private final InMemoryApiKeyStore delegate = new InMemoryApiKeyStore();
    private final AtomicInteger hashLookups = new AtomicInteger();

    int hashLookups() {
        return hashLookups.get();
    }

    @Override
    public void insert(ApiKey key) {
        delegate.insert(key);
    }

    @Override
    public void update(ApiKey key) {
        delegate.update(key);
    }

    @Override
    public Optional<ApiKey> findByHash(String hashHex) {
        hashLookups.incrementAndGet();
        return delegate.findByHash(hashHex);
    }

    @Override
    public Optional<ApiKey> findById(String id) {
        return delegate.findById(id);
    }

    @Override
    public List<ApiKey> findByAccount(String accountId) {
        return delegate.findByAccount(accountId);
    }

    @Override
    public void recordLastUsed(String id, Instant at) {
        delegate.recordLastUsed(id, at);
    }

    @Override
    public long count() {
        return delegate.count();
    }
}
