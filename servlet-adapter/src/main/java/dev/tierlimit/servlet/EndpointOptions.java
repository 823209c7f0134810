package dev.tierlimit.servlet;

import java.util.Objects;
import java.util.Optional;

/**
 * Caller identification settings of {@link SubscriptionServlet} and {@link ApiKeysServlet}: by the default
 * resolver (the account {@link RateLimitFilter} authenticated, else the request's API key) or by a
 * host's {@link AccountResolver}.
 *
 * <p>In {@code web.xml}, the servlets read the same settings from the init parameters named by the
 * {@code PARAM_} constants. Immutable and thread-safe.
 */
public final class EndpointOptions {

    /** Init parameter: the class name of an {@link AccountResolver} with a public no-argument constructor. */
    public static final String PARAM_ACCOUNT_RESOLVER = "account-resolver";
    /** Init parameter: {@code true} to accept the {@code api_key} query parameter when the filter did not run; {@code false} by default. */
    public static final String PARAM_QUERY_PARAMETER_KEY = "query-parameter-key";
    /** Init parameter: the realm of the {@code WWW-Authenticate} challenge; {@value RateLimitFilter#DEFAULT_REALM} by default. */
    public static final String PARAM_REALM = "realm";
    /** Init parameter: the servlet context attribute holding the services; {@value TierlimitServices#ATTRIBUTE} by default. */
    public static final String PARAM_SERVICES_ATTRIBUTE = "services-attribute";

    private static final EndpointOptions DEFAULTS = builder().build();

    private final AccountResolver accountResolver;
    private final boolean acceptQueryParameterKey;
    private final String realm;

    private EndpointOptions(Builder builder) {
        this.accountResolver = builder.accountResolver;
        this.acceptQueryParameterKey = builder.acceptQueryParameterKey;
        this.realm = builder.realm;
    }

    /** Returns the options of the default resolver, header keys only and realm {@value RateLimitFilter#DEFAULT_REALM}. */
    public static EndpointOptions defaults() {
        return DEFAULTS;
    }

    /** Returns a builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the host's resolver, or empty for the default one. */
    public Optional<AccountResolver> accountResolver() {
        return Optional.ofNullable(accountResolver);
    }

    /** Returns whether the default resolver reads the {@code api_key} query parameter. */
    public boolean acceptQueryParameterKey() {
        return acceptQueryParameterKey;
    }

    /** Returns the realm of the {@code WWW-Authenticate} challenge of 401 responses. */
    public String realm() {
        return realm;
    }

    /** Configures {@link EndpointOptions}. Not thread-safe. */
    public static final class Builder {

        private AccountResolver accountResolver;
        private boolean acceptQueryParameterKey;
        private String realm = RateLimitFilter.DEFAULT_REALM;

        private Builder() {
        }

        /** Replaces the default resolver with the host's, for example one that reads a session cookie. */
        public Builder accountResolver(AccountResolver resolver) {
            this.accountResolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * Sets whether the default resolver also reads the {@code api_key} query parameter when the
         * filter did not authenticate the request; false by default. Set it as on the filter.
         */
        public Builder acceptQueryParameterKey(boolean accept) {
            this.acceptQueryParameterKey = accept;
            return this;
        }

        /**
         * Sets the realm of the {@code WWW-Authenticate} challenge.
         *
         * @throws IllegalArgumentException if it is empty, longer than 100 characters, or contains a quote,
         *     a backslash or a character outside printable ASCII
         */
        public Builder realm(String realm) {
            this.realm = Problems.checkRealm(realm);
            return this;
        }

        /** Builds the options. */
        public EndpointOptions build() {
            return new EndpointOptions(this);
        }
    }
}
