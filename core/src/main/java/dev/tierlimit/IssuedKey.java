package dev.tierlimit;

import java.util.Objects;

/**
 * A newly issued key: the stored record and the raw key, which exists only in this object and is
 * shown to the account once. {@link #toString()} masks the raw key.
 *
 * @param key the stored record
 * @param rawKey the secret to hand to the client; never logged or stored by tierlimit
 */
public record IssuedKey(ApiKey key, String rawKey) {

    /** Validates the components. */
    public IssuedKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(rawKey, "rawKey");
    }

    @Override
    public String toString() {
        return "IssuedKey[key=" + key + ", rawKey=" + ApiKeyFormat.redact(rawKey) + "]";
    }
}
