package dev.tierlimit;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** The {@link ApiKeyRegistry} over an {@link ApiKeyStore} and an {@link AccountStore}. */
final class DefaultApiKeyRegistry implements ApiKeyRegistry {

    static final int MAX_LABEL_LENGTH = 200;

    private final ApiKeyStore keys;
    private final AccountStore accounts;
    private final TierCatalog catalog;
    private final InstantSource clock;
    private final String environment;
    private final RandomGenerator random;

    DefaultApiKeyRegistry(ApiKeyStore keys, AccountStore accounts, TierCatalog catalog, InstantSource clock,
            String environment, RandomGenerator random) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        ApiKeyFormat.requireValidEnvironment(environment);
        this.environment = environment;
    }

    @Override
    public IssuedKey issue(String accountId, String label, Instant expiresAt) {
        String checkedLabel = checkLabel(label);
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new IllegalArgumentException("key expiry must be in the future: " + expiresAt + " is not after " + now);
        }
        Account account = accounts.find(accountId).orElseThrow(() -> new AccountNotFoundException(accountId));
        synchronized (AccountLocks.forAccount(accountId)) {
            Tier tier = catalog.get(account.tierId());
            if (activeKeyCount(accountId, now) >= tier.maxApiKeys()) {
                throw new KeyLimitReachedException(accountId, tier.id(), tier.maxApiKeys());
            }
            return issueUnchecked(accountId, checkedLabel, expiresAt, now);
        }
    }

    private IssuedKey issueUnchecked(String accountId, String label, Instant expiresAt, Instant now) {
        while (true) {
            String raw = ApiKeyFormat.generate(environment, random);
            String hash = ApiKeyFormat.sha256Hex(raw);
            // 131 secret bits make a collision practically impossible; a seeded test generator may still repeat.
            if (keys.findByHash(hash).isPresent()) {
                continue;
            }
            ApiKey key = new ApiKey(newKeyId(), accountId, label, ApiKeyFormat.displayPrefix(raw), hash, now, null, null,
                    expiresAt);
            keys.insert(key);
            return new IssuedKey(key, raw);
        }
    }

    @Override
    public Authentication authenticate(String rawKey) {
        if (rawKey == null || rawKey.isBlank()) {
            return new Authentication(Authentication.Status.MISSING, null);
        }
        if (!ApiKeyFormat.isWellFormed(rawKey)) {
            return new Authentication(Authentication.Status.MALFORMED, null);
        }
        byte[] digest = ApiKeyFormat.sha256(rawKey);
        Optional<ApiKey> found = keys.findByHash(HexFormat.of().formatHex(digest));
        if (found.isEmpty() || !MessageDigest.isEqual(digest, HexFormat.of().parseHex(found.get().hash()))) {
            return new Authentication(Authentication.Status.UNKNOWN, null);
        }
        ApiKey key = found.get();
        Instant now = clock.instant();
        switch (key.state(now)) {
            case REVOKED:
                return new Authentication(Authentication.Status.REVOKED, key);
            case EXPIRED:
                return new Authentication(Authentication.Status.EXPIRED, key);
            default:
                break;
        }
        if (key.lastUsedAt() == null || !now.isBefore(key.lastUsedAt().plus(LAST_USED_RESOLUTION))) {
            keys.recordLastUsed(key.id(), now);
            key = key.withLastUsedAt(now);
        }
        return new Authentication(Authentication.Status.AUTHENTICATED, key);
    }

    @Override
    public List<ApiKey> list(String accountId) {
        return List.copyOf(keys.findByAccount(accountId));
    }

    @Override
    public int activeKeyCount(String accountId) {
        return activeKeyCount(accountId, clock.instant());
    }

    private int activeKeyCount(String accountId, Instant now) {
        int active = 0;
        for (ApiKey key : keys.findByAccount(accountId)) {
            if (key.isActive(now)) {
                active++;
            }
        }
        return active;
    }

    @Override
    public IssuedKey rotate(String accountId, String keyId, Duration overlap) {
        Objects.requireNonNull(overlap, "overlap");
        if (overlap.isNegative()) {
            throw new IllegalArgumentException("rotation overlap must not be negative: " + overlap);
        }
        Instant now = clock.instant();
        synchronized (AccountLocks.forAccount(accountId)) {
            ApiKey old = ownedKey(accountId, keyId);
            if (!old.isActive(now)) {
                throw new IllegalStateException("API key " + keyId + " is " + old.state(now).name().toLowerCase()
                        + " and cannot be rotated; issue a new key instead");
            }
            IssuedKey replacement = issueUnchecked(accountId, old.label(), old.expiresAt(), now);
            if (overlap.isZero()) {
                keys.update(old.withRevokedAt(now));
            } else {
                Instant end = now.plus(overlap);
                if (old.expiresAt() == null || end.isBefore(old.expiresAt())) {
                    keys.update(old.withExpiresAt(end));
                }
            }
            return replacement;
        }
    }

    @Override
    public boolean revoke(String accountId, String keyId) {
        synchronized (AccountLocks.forAccount(accountId)) {
            ApiKey key = ownedKey(accountId, keyId);
            if (key.revokedAt() != null) {
                return false;
            }
            keys.update(key.withRevokedAt(clock.instant()));
            return true;
        }
    }

    private ApiKey ownedKey(String accountId, String keyId) {
        Optional<ApiKey> key = keys.findById(keyId);
        if (key.isEmpty() || !key.get().accountId().equals(accountId)) {
            throw new KeyNotFoundException(accountId, keyId);
        }
        return key.get();
    }

    private static String checkLabel(String label) {
        if (label == null) {
            return "";
        }
        if (label.length() > MAX_LABEL_LENGTH) {
            throw new IllegalArgumentException("key label must be at most " + MAX_LABEL_LENGTH + " characters, got "
                    + label.length());
        }
        return label;
    }

    private String newKeyId() {
        return Ids.random("key_", random);
    }
}
