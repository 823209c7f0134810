package dev.tierlimit.servlet;

import dev.tierlimit.Account;
import dev.tierlimit.Decision;
import dev.tierlimit.Tier;
import jakarta.servlet.ServletRequest;
import java.util.Optional;

/**
 * Names of the request attributes that {@link RateLimitFilter} sets for the application, with typed
 * readers.
 *
 * <p>The filter sets {@link #ACCOUNT}, {@link #KEY_ID}, {@link #TIER} and {@link #LIMITER_KEY} on
 * every request it authenticated, and {@link #DECISION} on every request that passed the limiter. A
 * request that the filter let through without authentication (an exempt path, a disabled filter, an
 * unmetered path without a key) has none of them. Without a decision on an authenticated, metered
 * request, the limiter backend failed and the filter was configured to fail open.
 */
public final class RequestAttributes {

    /** The authenticated {@link Account}. */
    public static final String ACCOUNT = "dev.tierlimit.account";

    /** The id (a {@link String}) of the API key that authenticated the request. */
    public static final String KEY_ID = "dev.tierlimit.keyId";

    /** The account's {@link Tier} when the request was authenticated. */
    public static final String TIER = "dev.tierlimit.tier";

    /** The limiter {@link Decision} for the request. */
    public static final String DECISION = "dev.tierlimit.decision";

    /** The limiter key (a {@link String}, such as {@code account:acct_42}) that counts the caller's requests. */
    public static final String LIMITER_KEY = "dev.tierlimit.limiterKey";

    private RequestAttributes() {
    }

    /** Returns the authenticated account, if the filter set one. */
    public static Optional<Account> account(ServletRequest request) {
        return typed(request, ACCOUNT, Account.class);
    }

    /** Returns the id of the API key that authenticated the request, if the filter set one. */
    public static Optional<String> keyId(ServletRequest request) {
        return typed(request, KEY_ID, String.class);
    }

    /** Returns the account's tier, if the filter set one. */
    public static Optional<Tier> tier(ServletRequest request) {
        return typed(request, TIER, Tier.class);
    }

    /** Returns the limiter decision, if the request passed the limiter. */
    public static Optional<Decision> decision(ServletRequest request) {
        return typed(request, DECISION, Decision.class);
    }

    /** Returns the limiter key of the caller, if the filter set one. */
    public static Optional<String> limiterKey(ServletRequest request) {
        return typed(request, LIMITER_KEY, String.class);
    }

    private static <T> Optional<T> typed(ServletRequest request, String name, Class<T> type) {
        Object value = request.getAttribute(name);
        return type.isInstance(value) ? Optional.of(type.cast(value)) : Optional.empty();
    }
}
