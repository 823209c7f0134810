package dev.tierlimit.servlet;

import dev.tierlimit.Account;
import dev.tierlimit.ApiKey;
import dev.tierlimit.Decision;
import dev.tierlimit.LimitScope;
import dev.tierlimit.LimiterUnavailableException;
import dev.tierlimit.RateLimitHeaders;
import dev.tierlimit.StoreException;
import dev.tierlimit.Tier;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts tierlimit in front of an HTTP API: authenticates the API key of each request, checks the
 * account's tier limits, records usage and sets the rate-limit headers.
 *
 * <h2>Per request</h2>
 * <ol>
 *   <li>A disabled filter, a path matching an exempt pattern, or a request that passed this filter
 *       before (a forward or error dispatch) goes through untouched.
 *   <li>The key comes from the {@code X-API-Key} header, or from the {@code api_key} query parameter
 *       when enabled; the header wins when both are present. A missing, malformed, unknown, revoked or
 *       expired key gets 401 with {@code WWW-Authenticate}; a key with a bad checksum is rejected
 *       without a store lookup. A failing account or key store gets 503, never a pass.
 *   <li>The account, key id, tier and limiter key become {@link RequestAttributes}.
 *   <li>On an unmetered path (by default the subscription and key endpoints) the request goes on
 *       without a limiter check, and without authentication when it carries no key, so the endpoints
 *       can serve public calls and send their own 401s.
 *   <li>Otherwise the limiter checks the request's cost against the tier's limits, per account or per
 *       key ({@link LimitScope}). The rate-limit headers of {@link RateLimitHeaders} are set before the
 *       application runs, so they are present however it writes its body. A rejected request gets 429
 *       with {@code Retry-After} and a quota-exceeded problem body; a cost above a maximum gets 429
 *       without {@code Retry-After}. An admitted request is recorded in the usage history and goes on
 *       with the decision as a request attribute.
 *   <li>A limiter backend failure gets 503, or under {@link FailureMode#OPEN} goes on without
 *       headers.
 * </ol>
 *
 * <h2>Configuration</h2>
 * In code, {@link #builder(TierlimitServices)}; init parameters are then ignored. In {@code web.xml},
 * declare the class with the init parameters named by the {@code PARAM_} constants, and store the
 * {@link TierlimitServices} as a servlet context attribute before the filter starts.
 *
 * <h2>Logging</h2>
 * 401 and 429 at debug level with at most the key's display prefix; store, limiter and configuration
 * failures at warn level with the cause, at most one line per kind every 10 seconds. No line contains a
 * raw key or a query string.
 *
 * <p>Thread-safe.
 */
public final class RateLimitFilter implements Filter {

    /** Init parameter: {@code true} (default) or {@code false}; a disabled filter passes everything through untouched. */
    public static final String PARAM_ENABLED = "enabled";
    /** Init parameter: path patterns that pass through untouched, such as {@code /health,/static/*}; none by default. */
    public static final String PARAM_EXEMPT_PATHS = "exempt-paths";
    /** Init parameter: path patterns that are authenticated but never limited or counted; see {@link #DEFAULT_UNMETERED_PATHS}. */
    public static final String PARAM_UNMETERED_PATHS = "unmetered-paths";
    /** Init parameter: {@code account} or {@code api_key}; by default the scope of the services' {@code Subscriptions}. */
    public static final String PARAM_LIMIT_SCOPE = "limit-scope";
    /** Init parameter: {@code true} to also read keys from the {@code api_key} query parameter; {@code false} by default. */
    public static final String PARAM_QUERY_PARAMETER_KEY = "query-parameter-key";
    /** Init parameter: {@code closed} (default) or {@code open}, what a limiter backend failure does. */
    public static final String PARAM_FAILURE_MODE = "failure-mode";
    /** Init parameter: the class name of a {@link RequestCost} with a public no-argument constructor; cost 1 by default. */
    public static final String PARAM_REQUEST_COST = "request-cost";
    /** Init parameter: the realm of the {@code WWW-Authenticate} challenge; {@value #DEFAULT_REALM} by default. */
    public static final String PARAM_REALM = "realm";
    /** Init parameter: the servlet context attribute holding the services; {@value TierlimitServices#ATTRIBUTE} by default. */
    public static final String PARAM_SERVICES_ATTRIBUTE = "services-attribute";

    /** The paths that are authenticated but never limited: the subscription and key endpoints. */
    public static final List<String> DEFAULT_UNMETERED_PATHS = List.of("/api/v3/subscription/*", "/api/v3/keys/*");
    /** The default realm of the {@code WWW-Authenticate} challenge. */
    public static final String DEFAULT_REALM = "api";

    private static final Logger LOG = LoggerFactory.getLogger(RateLimitFilter.class);
    private static final String APPLIED = RateLimitFilter.class.getName() + ".applied";

    private volatile Settings settings;

    /** Creates a filter configured by init parameters in {@link #init(FilterConfig)}, for {@code web.xml}. */
    public RateLimitFilter() {
    }

    private RateLimitFilter(Settings settings) {
        this.settings = settings;
    }

    /** Returns a builder for a filter configured in code over {@code services}. */
    public static Builder builder(TierlimitServices services) {
        return new Builder(services);
    }

    /**
     * Reads the init parameters and the services, unless the filter was built in code.
     *
     * @throws ServletException if a parameter is invalid or the services attribute is missing
     */
    @Override
    public void init(FilterConfig config) throws ServletException {
        if (settings != null) {
            return;
        }
        InitParameters parameters = new InitParameters("filter " + config.getFilterName(), config::getInitParameter);
        TierlimitServices services;
        try {
            services = TierlimitServices.from(config.getServletContext(),
                    parameters.text(PARAM_SERVICES_ATTRIBUTE, TierlimitServices.ATTRIBUTE));
        } catch (IllegalStateException e) {
            throw new ServletException("filter " + config.getFilterName() + ": " + e.getMessage(), e);
        }
        Builder builder = builder(services)
                .enabled(parameters.bool(PARAM_ENABLED, true))
                .acceptQueryParameterKey(parameters.bool(PARAM_QUERY_PARAMETER_KEY, false))
                .failureMode(parameters.enumValue(PARAM_FAILURE_MODE, FailureMode.class, FailureMode.CLOSED))
                .scope(parameters.enumValue(PARAM_LIMIT_SCOPE, LimitScope.class, services.scope()));
        builder.exemptPaths = parameters.paths(PARAM_EXEMPT_PATHS, PathPatterns.NONE);
        builder.unmeteredPaths = parameters.paths(PARAM_UNMETERED_PATHS, builder.unmeteredPaths);
        RequestCost cost = parameters.instance(PARAM_REQUEST_COST, RequestCost.class);
        if (cost != null) {
            builder.cost(cost);
        }
        try {
            builder.realm(parameters.text(PARAM_REALM, DEFAULT_REALM));
        } catch (IllegalArgumentException e) {
            throw new ServletException("filter " + config.getFilterName() + ": init parameter " + PARAM_REALM + " is"
                    + " invalid: " + e.getMessage(), e);
        }
        this.settings = new Settings(builder);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Settings current = settings;
        if (current == null) {
            throw new IllegalStateException("RateLimitFilter was used before init(FilterConfig); let the container"
                    + " initialize it or build it with RateLimitFilter.builder(services)");
        }
        boolean passThrough = !current.enabled
                || !(request instanceof HttpServletRequest)
                || !(response instanceof HttpServletResponse)
                || request.getAttribute(APPLIED) != null;
        if (passThrough) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletRequest httpRequest = (HttpServletRequest) request;
        HttpServletResponse httpResponse = (HttpServletResponse) response;
        String path = PathPatterns.pathWithinApplication(httpRequest);
        if (current.exemptPaths.matches(path)) {
            chain.doFilter(request, response);
            return;
        }
        httpRequest.setAttribute(APPLIED, Boolean.TRUE);

        boolean metered = !current.unmeteredPaths.matches(path);
        if (!metered && current.authenticator.presentedKey(httpRequest) == null) {
            chain.doFilter(request, response);
            return;
        }
        Caller caller = authenticate(current, httpRequest, httpResponse);
        if (caller == null) {
            return;
        }
        if (metered && !admit(current, caller, httpRequest, httpResponse)) {
            return;
        }
        chain.doFilter(request, response);
    }

    /** The authenticated caller of a request. */
    private record Caller(Account account, ApiKey key, Tier tier, String limiterKey) {
    }

    /** Authenticates the request and sets its attributes; returns null after sending the error response. */
    private static Caller authenticate(Settings settings, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        ApiKeyAuthenticator.Result result;
        try {
            result = settings.authenticator.authenticate(request);
        } catch (StoreException e) {
            settings.warnings.warn("store", "Account or API key store failed; sent 503 to " + describe(request), e);
            Problems.writeStoreUnavailable(response);
            return null;
        }
        if (!result.authenticated()) {
            LOG.debug("401 for {}: {} API key {}", describe(request), result.reason(), result.loggableKey());
            Problems.writeUnauthorized(response, settings.realm, result.reason(), settings.authenticator.detail(result));
            return null;
        }

        Account account = result.account();
        Optional<Tier> tier = settings.services.catalog().find(account.tierId());
        if (tier.isEmpty()) {
            settings.warnings.warn("configuration", "Account " + account.id() + " is on tier \"" + account.tierId()
                    + "\", which the catalog does not contain (" + settings.services.catalog().ids()
                    + "); sent 500 to " + describe(request), null);
            Problems.write(response, 500, Problems.body(500, "The account's tier is not configured on this server."));
            return null;
        }
        Caller caller = new Caller(account, result.key(), tier.get(),
                settings.scope.limiterKey(account.id(), result.key().id()));
        request.setAttribute(RequestAttributes.ACCOUNT, account);
        request.setAttribute(RequestAttributes.KEY_ID, caller.key().id());
        request.setAttribute(RequestAttributes.TIER, caller.tier());
        request.setAttribute(RequestAttributes.LIMITER_KEY, caller.limiterKey());
        return caller;
    }

    /** Checks the limiter and sets the headers; returns whether the request may go on, having sent the error response if not. */
    private static boolean admit(Settings settings, Caller caller, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        long cost = settings.cost.of(request);
        if (cost < 1) {
            settings.warnings.warn("configuration", "The request cost function " + settings.cost.getClass().getName()
                    + " returned " + cost + " for " + describe(request) + "; it must return at least 1", null);
            Problems.write(response, 500, Problems.body(500, "The cost of this request is misconfigured on this server."));
            return false;
        }

        Decision decision;
        try {
            decision = settings.services.limiter().tryAcquire(caller.limiterKey(), caller.tier().limits(), cost);
        } catch (LimiterUnavailableException e) {
            return limiterFailed(settings, caller, cost, request, response, e);
        }

        RateLimitHeaders headers = RateLimitHeaders.of(decision);
        headers.asMap().forEach(response::setHeader);
        request.setAttribute(RequestAttributes.DECISION, decision);
        if (!decision.admitted()) {
            LOG.debug("429 for {}: account {}, API key {}, limit \"{}\" of tier \"{}\" ({})", describe(request),
                    caller.account().id(), caller.key().prefix(), decision.binding().limit().name(), caller.tier().id(),
                    decision.outcome());
            Problems.write(response, 429, QuotaProblem.body(decision, headers, caller.tier(), settings.services.catalog()));
            return false;
        }
        recordUsage(settings, caller, cost);
        return true;
    }

    private static boolean limiterFailed(Settings settings, Caller caller, long cost, HttpServletRequest request,
            HttpServletResponse response, LimiterUnavailableException e) throws IOException {
        if (settings.failureMode == FailureMode.CLOSED) {
            settings.warnings.warn("limiter", "Rate limiter failed; sent 503 to " + describe(request)
                    + " (failure mode closed)", e);
            Problems.writeLimiterUnavailable(response);
            return false;
        }
        settings.warnings.warn("limiter", "Rate limiter failed; admitted " + describe(request)
                + " without a limit check (failure mode open)", e);
        recordUsage(settings, caller, cost);
        return true;
    }

    /** Records an admitted request; a failing usage store costs the history one entry, not the request. */
    private static void recordUsage(Settings settings, Caller caller, long cost) {
        try {
            settings.services.usageHistory().record(caller.account().id(), caller.key().id(), cost);
        } catch (StoreException e) {
            settings.warnings.warn("usage", "Usage store failed; an admitted request of account "
                    + caller.account().id() + " is missing from the usage history", e);
        }
    }

    /** Returns the method and path of a request for log lines; the query string, which may contain a key, is left out. */
    static String describe(HttpServletRequest request) {
        return request.getMethod() + " " + request.getRequestURI();
    }

    /** The immutable configuration of a filter. */
    private static final class Settings {

        final TierlimitServices services;
        final boolean enabled;
        final PathPatterns exemptPaths;
        final PathPatterns unmeteredPaths;
        final LimitScope scope;
        final FailureMode failureMode;
        final RequestCost cost;
        final String realm;
        final ApiKeyAuthenticator authenticator;
        final ThrottledLog warnings;

        Settings(Builder builder) {
            this.services = builder.services;
            this.enabled = builder.enabled;
            this.exemptPaths = builder.exemptPaths;
            this.unmeteredPaths = builder.unmeteredPaths;
            this.scope = builder.scope == null ? services.scope() : builder.scope;
            this.failureMode = builder.failureMode;
            this.cost = builder.cost;
            this.realm = builder.realm;
            this.authenticator = new ApiKeyAuthenticator(services, builder.acceptQueryParameterKey);
            this.warnings = new ThrottledLog(LOG, services.clock());
        }
    }

    /** Configures a {@link RateLimitFilter} in code. Not thread-safe. */
    public static final class Builder {

        private final TierlimitServices services;
        private boolean enabled = true;
        private PathPatterns exemptPaths = PathPatterns.NONE;
        private PathPatterns unmeteredPaths = PathPatterns.of(DEFAULT_UNMETERED_PATHS);
        private LimitScope scope;
        private boolean acceptQueryParameterKey;
        private FailureMode failureMode = FailureMode.CLOSED;
        private RequestCost cost = RequestCost.ONE;
        private String realm = DEFAULT_REALM;

        private Builder(TierlimitServices services) {
            this.services = Objects.requireNonNull(services, "services");
        }

        /** Sets whether the filter works; a disabled filter passes every request through untouched. True by default. */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /**
         * Sets the path patterns that pass through untouched, such as health checks: {@code /health}
         * (exact), {@code /static/*} (prefix) or {@code *.css} (extension), matched against the
         * decoded path within the application. None by default.
         *
         * @throws IllegalArgumentException if a pattern has another form
         */
        public Builder exemptPaths(String... patterns) {
            this.exemptPaths = PathPatterns.of(List.of(patterns));
            return this;
        }

        /**
         * Sets the path patterns that are authenticated but never limited or counted, replacing
         * {@link #DEFAULT_UNMETERED_PATHS}. Keep the subscription and key endpoints among them, so an
         * account that used up its quota can still read its usage, manage keys and upgrade.
         *
         * @throws IllegalArgumentException if a pattern is not of a form {@link #exemptPaths} accepts
         */
        public Builder unmeteredPaths(String... patterns) {
            this.unmeteredPaths = PathPatterns.of(List.of(patterns));
            return this;
        }

        /**
         * Sets what limits are counted per; by default the scope of the services' {@code Subscriptions}.
         * The endpoints report usage under the limiter key this filter set on the request, so they agree
         * with the filter when it runs in front of them.
         */
        public Builder scope(LimitScope scope) {
            this.scope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        /**
         * Sets whether a key is also read from the {@code api_key} query parameter. False by default,
         * because URLs end up in access logs and browser histories; the library's own log lines never
         * contain the key either way.
         */
        public Builder acceptQueryParameterKey(boolean accept) {
            this.acceptQueryParameterKey = accept;
            return this;
        }

        /** Sets what a limiter backend failure does; {@link FailureMode#CLOSED} by default. */
        public Builder failureMode(FailureMode failureMode) {
            this.failureMode = Objects.requireNonNull(failureMode, "failureMode");
            return this;
        }

        /** Sets the cost of a request; {@link RequestCost#ONE} by default. */
        public Builder cost(RequestCost cost) {
            this.cost = Objects.requireNonNull(cost, "cost");
            return this;
        }

        /**
         * Sets the realm of the {@code WWW-Authenticate} challenge; {@value RateLimitFilter#DEFAULT_REALM}
         * by default.
         *
         * @throws IllegalArgumentException if it is empty, longer than 100 characters, or contains a quote,
         *     a backslash or a character outside printable ASCII
         */
        public Builder realm(String realm) {
            this.realm = Problems.checkRealm(realm);
            return this;
        }

        /** Builds the filter; register it with the container, which still calls {@code init}. */
        public RateLimitFilter build() {
            return new RateLimitFilter(new Settings(this));
        }
    }
}
