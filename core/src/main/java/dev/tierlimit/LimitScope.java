package dev.tierlimit;

import java.util.Objects;

/**
 * The unit a tier's limits are counted per: the whole account (all its keys share the limits) or each
 * API key on its own. Decides the limiter key, so every component that reads or counts usage must
 * use the same scope.
 */
public enum LimitScope {
    /** All keys of an account share one set of limits. The default. */
    ACCOUNT,
    /** Each API key has its own set of limits. */
    API_KEY;

    /**
     * Returns the limiter key for a request of {@code accountId} made with {@code keyId}.
     *
     * @param keyId the key's id; required for {@link #API_KEY}, ignored for {@link #ACCOUNT}
     * @throws NullPointerException if a required id is null
     */
    public String limiterKey(String accountId, String keyId) {
        if (this == ACCOUNT) {
            return "account:" + Objects.requireNonNull(accountId, "accountId");
        }
        return "key:" + Objects.requireNonNull(keyId, "keyId");
    }
}
