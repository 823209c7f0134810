package dev.tierlimit;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link ApiKeyRegistry#authenticate(String)}: a status and, when the key was found,
 * the stored key. Immutable and thread-safe.
 *
 * @param status what the registry found
 * @param key the stored key for {@code AUTHENTICATED}, {@code REVOKED} and {@code EXPIRED}; null otherwise
 */
public record Authentication(Status status, ApiKey key) {

    /** The outcome of looking up a raw key. */
    public enum Status {
        /** The key is known and active. */
        AUTHENTICATED,
        /** No key was given. */
        MISSING,
        /** The value is not shaped like a key or its checksum does not match; no store was asked. */
        MALFORMED,
        /** The key is well-formed but not issued by this registry. */
        UNKNOWN,
        /** The key was revoked. */
        REVOKED,
        /** The key's expiry time has passed. */
        EXPIRED
    }

    /** Validates that a key is present exactly for the statuses that carry one. */
    public Authentication {
        Objects.requireNonNull(status, "status");
        boolean carriesKey = status == Status.AUTHENTICATED || status == Status.REVOKED || status == Status.EXPIRED;
        if (carriesKey != (key != null)) {
            throw new IllegalArgumentException("status " + status + (carriesKey ? " needs" : " must not have") + " a key");
        }
    }

    /** Returns whether the key authenticates the request. */
    public boolean authenticated() {
        return status == Status.AUTHENTICATED;
    }

    /** Returns the stored key, if one was found. */
    public Optional<ApiKey> apiKey() {
        return Optional.ofNullable(key);
    }
}
