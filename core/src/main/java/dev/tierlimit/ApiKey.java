package dev.tierlimit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An issued API key as stored: never the raw key, only its SHA-256 hash and the first
 * {@value ApiKeyFormat#DISPLAY_PREFIX_LENGTH} characters of its random part for display.
 *
 * <p>Immutable and thread-safe. {@link #toString()} leaves the hash out so that it does not end up
 * in logs.
 *
 * @param id the key's public identifier, for example {@code key_3fQ9...}
 * @param accountId the account the key belongs to
 * @param label a free-text name chosen by the account, possibly empty
 * @param prefix the first characters of the key's random part, shown to people to tell keys apart
 * @param hash the SHA-256 hash of the raw key, 64 lower-case hex digits
 * @param createdAt when the key was issued
 * @param lastUsedAt when the key last authenticated a request, or null; accurate to
 *     {@link ApiKeyRegistry#LAST_USED_RESOLUTION}
 * @param revokedAt when the key was revoked, or null
 * @param expiresAt when the key stops working, or null for never
 */
public record ApiKey(
        String id,
        String accountId,
        String label,
        String prefix,
        String hash,
        Instant createdAt,
        Instant lastUsedAt,
        Instant revokedAt,
        Instant expiresAt) {

    /** The life-cycle state of a key at a given moment. */
    public enum State {
        /** The key authenticates requests. */
        ACTIVE,
        /** The key was revoked and authenticates nothing. */
        REVOKED,
        /** The key's expiry time has passed. */
        EXPIRED
    }

    /**
     * Validates the components.
     *
     * @throws NullPointerException if a required component is null
     * @throws IllegalArgumentException if the hash is not 64 lower-case hex digits
     */
    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(createdAt, "createdAt");
        if (!hash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("key hash must be 64 lower-case hex digits for key " + id);
        }
    }

    /** Returns the key's state at {@code now}: revoked wins over expired. */
    public State state(Instant now) {
        if (revokedAt != null) {
            return State.REVOKED;
        }
        if (expiresAt != null && !now.isBefore(expiresAt)) {
            return State.EXPIRED;
        }
        return State.ACTIVE;
    }

    /** Returns whether the key authenticates requests at {@code now}. */
    public boolean isActive(Instant now) {
        return state(now) == State.ACTIVE;
    }

    /** Returns the last-used time, if the key was ever used. */
    public Optional<Instant> lastUsed() {
        return Optional.ofNullable(lastUsedAt);
    }

    /** Returns a copy with {@code lastUsedAt} replaced. */
    public ApiKey withLastUsedAt(Instant at) {
        return new ApiKey(id, accountId, label, prefix, hash, createdAt, at, revokedAt, expiresAt);
    }

    /** Returns a copy with {@code revokedAt} replaced. */
    public ApiKey withRevokedAt(Instant at) {
        return new ApiKey(id, accountId, label, prefix, hash, createdAt, lastUsedAt, at, expiresAt);
    }

    /** Returns a copy with {@code expiresAt} replaced. */
    public ApiKey withExpiresAt(Instant at) {
        return new ApiKey(id, accountId, label, prefix, hash, createdAt, lastUsedAt, revokedAt, at);
    }

    @Override
    public String toString() {
        return "ApiKey[id=" + id + ", accountId=" + accountId + ", label=" + label + ", prefix=" + prefix
                + ", createdAt=" + createdAt + ", lastUsedAt=" + lastUsedAt + ", revokedAt=" + revokedAt
                + ", expiresAt=" + expiresAt + "]";
    }
}
