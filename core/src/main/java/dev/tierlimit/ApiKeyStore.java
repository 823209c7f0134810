package dev.tierlimit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Storage SPI for API keys. It contains hashes and display prefixes, never raw keys. Core ships
 * {@link InMemoryApiKeyStore}.
 *
 * <p>Implementations are thread-safe. A storage failure throws {@link StoreException}, and what was
 * stored before the failed call stays stored.
 */
public interface ApiKeyStore {

    /**
     * Stores a new key.
     *
     * @throws IllegalStateException if a key with the same id or hash exists
     */
    void insert(ApiKey key);

    /**
     * Replaces the stored key with the same id, for revocation and expiry changes.
     *
     * @throws IllegalStateException if there is no key with that id
     */
    void update(ApiKey key);

    /** Returns the key whose hash is {@code hashHex} (64 lower-case hex digits), if there is one. */
    Optional<ApiKey> findByHash(String hashHex);

    /** Returns the key with id {@code id}, if there is one. */
    Optional<ApiKey> findById(String id);

    /** Returns every key of an account, in issue order, revoked and expired ones included. */
    List<ApiKey> findByAccount(String accountId);

    /**
     * Records that key {@code id} authenticated a request at {@code at}. Stores may delay the write;
     * an unknown id is ignored.
     */
    void recordLastUsed(String id, Instant at);

    /** Returns the number of stored keys, revoked and expired ones included. */
    long count();
}
