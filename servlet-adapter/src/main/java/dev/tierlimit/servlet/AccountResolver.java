package dev.tierlimit.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import java.util.Optional;

/**
 * Identifies the caller of the subscription and key endpoints.
 *
 * <p>The default resolver takes the account that {@link RateLimitFilter} authenticated, and without
 * the filter authenticates the {@code X-API-Key} header (and the {@code api_key} query parameter
 * when enabled) itself, with the same 401 responses. A host that identifies callers otherwise, for
 * example by a session cookie, plugs in its own resolver through {@link EndpointOptions}.
 *
 * <p>Called on request threads; implementations must be thread-safe.
 */
@FunctionalInterface
public interface AccountResolver {

    /**
     * Identifies the caller of {@code request}.
     *
     * @return the account, or why there is none; never null
     * @throws dev.tierlimit.StoreException if a store failed; the endpoint responds with 503
     */
    Resolution resolve(HttpServletRequest request);

    /**
     * The caller of a request, or the reason it is not authenticated. Immutable and thread-safe.
     *
     * @param accountId the caller's account, or null when not authenticated
     * @param keyId the API key that identified the caller, or null when none did
     * @param reason a short lower-case token for the 401 body, such as {@code missing}, when not authenticated
     * @param detail a sentence for the 401 body that tells the caller what to do, when not authenticated
     */
    record Resolution(String accountId, String keyId, String reason, String detail) {

        /**
         * Validates that exactly one of the account and the reason is present.
         *
         * @throws IllegalArgumentException if both or neither are present
         */
        public Resolution {
            if ((accountId == null) == (reason == null)) {
                throw new IllegalArgumentException("a resolution has either an account id or a reason, not both or"
                        + " neither: accountId=" + accountId + ", reason=" + reason);
            }
            if (reason != null) {
                Objects.requireNonNull(detail, "detail");
            }
        }

        /** Creates the resolution of a caller identified without an API key. */
        public static Resolution account(String accountId) {
            return new Resolution(Objects.requireNonNull(accountId, "accountId"), null, null, null);
        }

        /** Creates the resolution of a caller identified by API key {@code keyId}. */
        public static Resolution apiKey(String accountId, String keyId) {
            return new Resolution(Objects.requireNonNull(accountId, "accountId"), Objects.requireNonNull(keyId, "keyId"),
                    null, null);
        }

        /**
         * Creates the resolution of a request that is not authenticated; the endpoint responds with 401.
         *
         * @param reason a short lower-case token, such as {@code missing} or {@code session_expired}
         * @param detail a sentence that states what failed and what to do
         */
        public static Resolution unauthenticated(String reason, String detail) {
            return new Resolution(null, null, Objects.requireNonNull(reason, "reason"), detail);
        }

        /** Returns whether the caller is identified. */
        public boolean authenticated() {
            return accountId != null;
        }

        /** Returns the id of the API key that identified the caller, if one did. */
        public Optional<String> apiKeyId() {
            return Optional.ofNullable(keyId);
        }
    }
}
