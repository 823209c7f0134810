package dev.tierlimit;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Issues, authenticates, rotates and revokes API keys, enforcing each tier's maximum of active keys.
 *
 * <p>A raw key leaves the registry once, in the {@link IssuedKey} that issuing or rotating returns;
 * stores keep only its SHA-256 hash and display prefix ({@link ApiKeyFormat}). Authentication rejects
 * a malformed key or a bad checksum before any store lookup, looks the key up by its hash and compares
 * digests with {@link java.security.MessageDigest#isEqual}, which takes the same time wherever two
 * digests differ.
 *
 * <p>Implementations are thread-safe. Issuing for one account is serialized with the key count, so
 * concurrent requests cannot exceed the tier's maximum. Store failures surface as
 * {@link StoreException}.
 */
public interface ApiKeyRegistry {

    /** The resolution of {@link ApiKey#lastUsedAt()}: a key's last-used time is written at most this often. */
    Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

    /**
     * Issues a key for an account.
     *
     * @param accountId the owner
     * @param label a name for the key, possibly empty, at most 200 characters
     * @param expiresAt when the key stops working, or null for never; must be in the future
     * @return the stored key and the raw key, which is not kept anywhere
     * @throws AccountNotFoundException if the account does not exist
     * @throws KeyLimitReachedException if the account has as many active keys as its tier allows
     * @throws IllegalArgumentException if the label is too long or the expiry is not in the future
     */
    IssuedKey issue(String accountId, String label, Instant expiresAt);

    /**
     * Authenticates a raw key. Never throws for bad input: a null, blank, malformed, unknown, revoked
     * or expired key is reported in the result. Records the key's last use when authenticated.
     *
     * @throws StoreException if the key store failed
     */
    Authentication authenticate(String rawKey);

    /** Returns an account's keys in issue order, revoked and expired ones included. */
    List<ApiKey> list(String accountId);

    /** Returns the number of an account's keys that are active now. */
    int activeKeyCount(String accountId);

    /**
     * Replaces a key: issues a new one with the same label and expiry and lets the old one work for
     * {@code overlap} more, so clients can switch without downtime. Allowed at the tier's maximum,
     * since the old key is on its way out.
     *
     * @param overlap how long the old key keeps working; zero revokes it at once
     * @throws KeyNotFoundException if the key is not the account's
     * @throws IllegalStateException if the key is revoked or expired
     * @throws IllegalArgumentException if {@code overlap} is negative
     */
    IssuedKey rotate(String accountId, String keyId, Duration overlap);

    /**
     * Revokes a key of an account at once.
     *
     * @return true if the key was active or expired and is now revoked, false if it was already revoked
     * @throws KeyNotFoundException if the key is not the account's
     */
    boolean revoke(String accountId, String keyId);

    /**
     * Creates a registry over the given stores.
     *
     * @param keys where key records live
     * @param accounts where to read an account's tier
     * @param catalog the tiers, for their maximum of keys
     * @param clock the time source for creation, expiry and last use
     */
    static ApiKeyRegistry create(ApiKeyStore keys, AccountStore accounts, TierCatalog catalog, InstantSource clock) {
        return new DefaultApiKeyRegistry(keys, accounts, catalog, clock, "live", new SecureRandom());
    }

    /**
     * Creates a registry that issues keys for {@code environment} (for example {@code test}) from
     * {@code random}; tests pass a seeded generator, services a {@code SecureRandom}.
     */
    static ApiKeyRegistry create(ApiKeyStore keys, AccountStore accounts, TierCatalog catalog, InstantSource clock,
            String environment, RandomGenerator random) {
        return new DefaultApiKeyRegistry(keys, accounts, catalog, clock, Objects.requireNonNull(environment, "environment"),
                random);
    }
}
