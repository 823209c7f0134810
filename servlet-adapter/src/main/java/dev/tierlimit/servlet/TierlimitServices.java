package dev.tierlimit.servlet;

import dev.tierlimit.AccountStore;
import dev.tierlimit.ApiKeyRegistry;
import dev.tierlimit.InMemoryAccountStore;
import dev.tierlimit.InMemoryApiKeyStore;
import dev.tierlimit.InMemorySlidingWindowLimiter;
import dev.tierlimit.InMemoryUsageStore;
import dev.tierlimit.LimitScope;
import dev.tierlimit.SlidingWindowLimiter;
import dev.tierlimit.Subscriptions;
import dev.tierlimit.TierCatalog;
import dev.tierlimit.UsageHistory;
import jakarta.servlet.ServletContext;
import java.time.InstantSource;
import java.util.Objects;

/**
 * The tierlimit components that {@link RateLimitFilter}, {@link SubscriptionServlet} and
 * {@link ApiKeysServlet} work with: keys, accounts, tiers, the limiter, usage history, subscriptions
 * and the clock.
 *
 * <p>Code that builds the filter and servlets passes this object to them. A {@code web.xml}
 * deployment creates them with their no-argument constructors instead, so the host stores this
 * object as a {@link ServletContext} attribute before the filter and servlets start, for example in
 * a {@code ServletContextListener}: {@code services.register(context)} stores it under
 * {@link #ATTRIBUTE}.
 *
 * <p>Immutable and thread-safe when its components are, which every tierlimit implementation is.
 */
public final class TierlimitServices {

    /** The default name of the {@link ServletContext} attribute holding the services. */
    public static final String ATTRIBUTE = "dev.tierlimit.servlet.TierlimitServices";

    private final ApiKeyRegistry keys;
    private final AccountStore accounts;
    private final TierCatalog catalog;
    private final SlidingWindowLimiter limiter;
    private final UsageHistory usageHistory;
    private final Subscriptions subscriptions;
    private final InstantSource clock;

    private TierlimitServices(Builder builder) {
        this.keys = Objects.requireNonNull(builder.keys, "keys");
        this.accounts = Objects.requireNonNull(builder.accounts, "accounts");
        this.limiter = Objects.requireNonNull(builder.limiter, "limiter");
        this.usageHistory = Objects.requireNonNull(builder.usageHistory, "usageHistory");
        this.subscriptions = Objects.requireNonNull(builder.subscriptions, "subscriptions");
        this.clock = builder.clock;
        this.catalog = builder.catalog == null ? subscriptions.catalog() : builder.catalog;
        if (catalog != subscriptions.catalog()) {
            throw new IllegalArgumentException("the catalog differs from the one Subscriptions uses; pass the same"
                    + " TierCatalog to both, or leave the catalog unset to take the one of Subscriptions");
        }
    }

    /** Returns a builder; keys, accounts, limiter, usage history and subscriptions are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates services that keep everything in this JVM's memory: accounts, keys, usage history and an
     * {@link InMemorySlidingWindowLimiter}, all on {@code clock}. Suits tests, demos and single-instance
     * services that can lose their state on restart.
     */
    public static TierlimitServices inMemory(TierCatalog catalog, InstantSource clock) {
        InMemoryAccountStore accounts = new InMemoryAccountStore();
        ApiKeyRegistry keys = ApiKeyRegistry.create(new InMemoryApiKeyStore(), accounts, catalog, clock);
        SlidingWindowLimiter limiter = InMemorySlidingWindowLimiter.builder().clock(clock).build();
        Subscriptions subscriptions = Subscriptions.builder()
                .accounts(accounts).keys(keys).catalog(catalog).limiter(limiter).clock(clock).build();
        return builder()
                .keys(keys)
                .accounts(accounts)
                .limiter(limiter)
                .usageHistory(new UsageHistory(new InMemoryUsageStore(), clock))
                .subscriptions(subscriptions)
                .clock(clock)
                .build();
    }

    /**
     * Returns the services stored in {@code context} under {@link #ATTRIBUTE}.
     *
     * @throws IllegalStateException if the attribute is missing or contains another type
     */
    public static TierlimitServices from(ServletContext context) {
        return from(context, ATTRIBUTE);
    }

    /**
     * Returns the services stored in {@code context} under the attribute {@code name}.
     *
     * @throws IllegalStateException if the attribute is missing or contains another type
     */
    public static TierlimitServices from(ServletContext context, String name) {
        Object value = context.getAttribute(name);
        if (value instanceof TierlimitServices) {
            return (TierlimitServices) value;
        }
        if (value == null) {
            throw new IllegalStateException("servlet context attribute \"" + name + "\" is not set; store a"
                    + " TierlimitServices there (services.register(context)) before the tierlimit filter and"
                    + " servlets start, for example in a ServletContextListener");
        }
        throw new IllegalStateException("servlet context attribute \"" + name + "\" contains a "
                + value.getClass().getName() + ", not a " + TierlimitServices.class.getName());
    }

    /** Stores this object in {@code context} under {@link #ATTRIBUTE}, replacing any previous value. */
    public void register(ServletContext context) {
        context.setAttribute(ATTRIBUTE, this);
    }

    /** Returns the API key registry. */
    public ApiKeyRegistry keys() {
        return keys;
    }

    /** Returns the account store. */
    public AccountStore accounts() {
        return accounts;
    }

    /** Returns the tier catalog, the same one {@link #subscriptions()} uses. */
    public TierCatalog catalog() {
        return catalog;
    }

    /** Returns the limiter that counts requests. */
    public SlidingWindowLimiter limiter() {
        return limiter;
    }

    /** Returns the usage history that admitted requests are recorded in. */
    public UsageHistory usageHistory() {
        return usageHistory;
    }

    /** Returns the subscription service for tier status and tier changes. */
    public Subscriptions subscriptions() {
        return subscriptions;
    }

    /** Returns the scope limits are counted per, as {@link Subscriptions#scope()} sets it. */
    public LimitScope scope() {
        return subscriptions.scope();
    }

    /** Returns the time source for default date ranges and for rate-limiting the library's warnings. */
    public InstantSource clock() {
        return clock;
    }

    /** Configures {@link TierlimitServices}. Not thread-safe. */
    public static final class Builder {

        private ApiKeyRegistry keys;
        private AccountStore accounts;
        private TierCatalog catalog;
        private SlidingWindowLimiter limiter;
        private UsageHistory usageHistory;
        private Subscriptions subscriptions;
        private InstantSource clock = InstantSource.system();

        private Builder() {
        }

        /** Sets the API key registry. Required. */
        public Builder keys(ApiKeyRegistry keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /** Sets the account store. Required. */
        public Builder accounts(AccountStore accounts) {
            this.accounts = Objects.requireNonNull(accounts, "accounts");
            return this;
        }

        /** Sets the tier catalog; by default the one of {@link #subscriptions(Subscriptions)}. */
        public Builder catalog(TierCatalog catalog) {
            this.catalog = Objects.requireNonNull(catalog, "catalog");
            return this;
        }

        /** Sets the limiter. Required; the same one {@link Subscriptions} reads usage from. */
        public Builder limiter(SlidingWindowLimiter limiter) {
            this.limiter = Objects.requireNonNull(limiter, "limiter");
            return this;
        }

        /** Sets the usage history. Required. */
        public Builder usageHistory(UsageHistory usageHistory) {
            this.usageHistory = Objects.requireNonNull(usageHistory, "usageHistory");
            return this;
        }

        /** Sets the subscription service. Required. */
        public Builder subscriptions(Subscriptions subscriptions) {
            this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
            return this;
        }

        /** Sets the time source; the system clock by default. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the services.
         *
         * @throws NullPointerException if a required component is missing
         * @throws IllegalArgumentException if the catalog is not the one of the subscription service
         */
        public TierlimitServices build() {
            return new TierlimitServices(this);
        }
    }
}
