package dev.tierlimit.servlet;

import dev.tierlimit.Account;
import dev.tierlimit.ApiKey;
import dev.tierlimit.ApiKeyFormat;
import dev.tierlimit.Authentication;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the API key of a request and authenticates it to an account, the one key logic the filter and
 * the endpoints share. Thread-safe.
 */
final class ApiKeyAuthenticator {

    static final String HEADER = "X-API-Key";
    static final String QUERY_PARAMETER = "api_key";

    private final TierlimitServices services;
    private final boolean acceptQueryParameter;

    ApiKeyAuthenticator(TierlimitServices services, boolean acceptQueryParameter) {
        this.services = services;
        this.acceptQueryParameter = acceptQueryParameter;
    }

    /**
     * The outcome for one request.
     *
     * @param status the registry's verdict, {@code UNKNOWN} also for a key whose account is gone
     * @param account the key's account when authenticated, else null
     * @param key the stored key when one was found, else null
     * @param loggableKey the presented key in a form safe to log: prefix only, or {@code ***}
     */
    record Result(Authentication.Status status, Account account, ApiKey key, String loggableKey) {

        boolean authenticated() {
            return status == Authentication.Status.AUTHENTICATED;
        }

        /** Returns the lower-case status for problem bodies, such as {@code revoked}. */
        String reason() {
            return status.name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Returns the raw key the request presents, or null: the header (any letter case, the container
     * matches header names case-insensitively) wins over the query parameter, which counts only when
     * enabled.
     */
    String presentedKey(HttpServletRequest request) {
        String header = request.getHeader(HEADER);
        if (header != null && !header.isBlank()) {
            return header.strip();
        }
        if (!acceptQueryParameter) {
            return null;
        }
        // Parsed by hand: getParameter would also read a form body, which belongs to the application.
        return QueryStrings.first(request.getQueryString(), QUERY_PARAMETER);
    }

    /**
     * Authenticates the key of {@code request}.
     *
     * @throws dev.tierlimit.StoreException if the key or account store failed
     */
    Result authenticate(HttpServletRequest request) {
        String raw = presentedKey(request);
        String loggable = raw == null ? "(none)" : ApiKeyFormat.redact(raw);
        Authentication authentication = services.keys().authenticate(raw);
        if (!authentication.authenticated()) {
            return new Result(authentication.status(), null, authentication.key(), loggable);
        }
        ApiKey key = authentication.key();
        Optional<Account> account = services.accounts().find(key.accountId());
        if (account.isEmpty()) {
            return new Result(Authentication.Status.UNKNOWN, null, null, loggable);
        }
        return new Result(Authentication.Status.AUTHENTICATED, account.get(), key, loggable);
    }

    /** Returns the sentence of a 401 body for {@code result}; it never contains the key. */
    String detail(Result result) {
        switch (result.status()) {
            case MISSING:
                return "No API key was sent; send it in the " + HEADER + " header"
                        + (acceptQueryParameter ? " or the " + QUERY_PARAMETER + " query parameter." : ".");
            case MALFORMED:
                return "The API key is malformed or its checksum does not match; check that the whole key was copied.";
            case REVOKED:
                return "The API key was revoked; use another key of the account or create a new one.";
            case EXPIRED:
                return "The API key expired at " + result.key().expiresAt() + "; use another key of the account or"
                        + " create a new one.";
            default:
                return "The API key is not known; check the key or create a new one.";
        }
    }
}
