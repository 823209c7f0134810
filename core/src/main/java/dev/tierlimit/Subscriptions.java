package dev.tierlimit;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Accounts and their tiers: creates accounts, reports a tier's usage and changes tiers.
 *
 * <p>Tier change rules:
 * <ul>
 *   <li>Upgrade: {@link Billing} is charged the new tier's monthly price; when approved the new
 *       limits apply to the next request, and usage counted so far is kept.
 *   <li>Downgrade: rejected with {@link DowngradeBlockedException} while the account has more active
 *       keys than the target tier allows; otherwise it takes effect at once and nothing is charged.
 *   <li>Same tier: nothing changes, and the result states it.
 *   <li>Unknown tier: {@link UnknownTierException}, whose message lists the tiers.
 * </ul>
 * If the account store fails after an approved charge, the charge remains and the tier does not
 * change; a real {@link Billing} should make charges idempotent by account and tier.
 *
 * <p>Thread-safe. A tier change and a key issue for the same account do not interleave.
 */
public final class Subscriptions {

    private final AccountStore accounts;
    private final ApiKeyRegistry keys;
    private final TierCatalog catalog;
    private final SlidingWindowLimiter limiter;
    private final Billing billing;
    private final InstantSource clock;
    private final LimitScope scope;
    private final RandomGenerator random;

    private Subscriptions(Builder builder) {
        this.accounts = Objects.requireNonNull(builder.accounts, "accounts");
        this.keys = Objects.requireNonNull(builder.keys, "keys");
        this.catalog = Objects.requireNonNull(builder.catalog, "catalog");
        this.limiter = Objects.requireNonNull(builder.limiter, "limiter");
        this.billing = builder.billing;
        this.clock = builder.clock;
        this.scope = builder.scope;
        this.random = builder.random;
    }

    /** Returns a builder; accounts, keys, catalog and limiter are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the catalog the tiers come from. */
    public TierCatalog catalog() {
        return catalog;
    }

    /** Returns the scope that limits are counted per. */
    public LimitScope scope() {
        return scope;
    }

    /**
     * Creates an account on the catalog's default tier.
     *
     * @throws IllegalArgumentException if the email is invalid
     */
    public Account createAccount(String email) {
        return createAccount(email, catalog.defaultTier().id());
    }

    /**
     * Creates an account on tier {@code tierId}, with a new random id.
     *
     * @throws UnknownTierException if the tier is not in the catalog
     * @throws IllegalArgumentException if the email is invalid
     */
    public Account createAccount(String email, String tierId) {
        Tier tier = catalog.get(tierId);
        Account account = new Account(Ids.random("acct_", random), email, tier.id(), clock.instant());
        accounts.insert(account);
        return account;
    }

    /**
     * Returns the account with id {@code accountId}.
     *
     * @throws AccountNotFoundException if there is none
     */
    public Account account(String accountId) {
        return accounts.find(accountId).orElseThrow(() -> new AccountNotFoundException(accountId));
    }

    /**
     * Returns an account's tier and its usage under the {@link LimitScope#ACCOUNT account scope}.
     *
     * @throws AccountNotFoundException if there is no such account
     */
    public SubscriptionStatus status(String accountId) {
        return status(accountId, LimitScope.ACCOUNT.limiterKey(accountId, null));
    }

    /**
     * Returns an account's tier and the usage counted under {@code limiterKey}, for hosts that count
     * per key.
     *
     * @throws AccountNotFoundException if there is no such account
     */
    public SubscriptionStatus status(String accountId, String limiterKey) {
        Account account = account(accountId);
        Tier tier = catalog.get(account.tierId());
        List<LimitStatus> usage = limiter.usage(limiterKey, tier.limits());
        return new SubscriptionStatus(account, tier, usage, keys.activeKeyCount(accountId), catalog.next(tier));
    }

    /**
     * Moves an account to tier {@code tierId} by the rules in the class description.
     *
     * @throws AccountNotFoundException if there is no such account
     * @throws UnknownTierException if the tier is not in the catalog
     * @throws DowngradeBlockedException if the account holds more active keys than the target allows
     * @throws PaymentDeclinedException if billing declined an upgrade
     */
    public TierChangeResult changeTier(String accountId, String tierId) {
        Tier target = catalog.get(tierId);
        synchronized (AccountLocks.forAccount(accountId)) {
            Account account = account(accountId);
            Tier current = catalog.get(account.tierId());
            TierChange change = catalog.compare(current.id(), target.id());
            switch (change) {
                case SAME:
                    return new TierChangeResult(accountId, current, current, change, false, null,
                            "account " + accountId + " is already on tier \"" + current.id() + "\"; nothing changed");
                case DOWNGRADE:
                    return downgrade(account, current, target);
                default:
                    return upgrade(account, current, target);
            }
        }
    }

    private TierChangeResult downgrade(Account account, Tier current, Tier target) {
        int active = keys.activeKeyCount(account.id());
        if (active > target.maxApiKeys()) {
            throw new DowngradeBlockedException(account.id(), target.id(), active, target.maxApiKeys());
        }
        accounts.updateTier(account.id(), target.id());
        return new TierChangeResult(account.id(), current, target, TierChange.DOWNGRADE, true, null,
                "account " + account.id() + " moved from \"" + current.id() + "\" down to \"" + target.id()
                        + "\"; the new limits apply from the next request");
    }

    private TierChangeResult upgrade(Account account, Tier current, Tier target) {
        Billing.Result payment = billing.charge(
                new Billing.Request(account.id(), current.id(), target.id(), target.monthlyPrice()));
        if (!payment.approved()) {
            throw new PaymentDeclinedException(account.id(), target.id(), payment);
        }
        accounts.updateTier(account.id(), target.id());
        return new TierChangeResult(account.id(), current, target, TierChange.UPGRADE, true, payment,
                "account " + account.id() + " moved from \"" + current.id() + "\" up to \"" + target.id()
                        + "\"; the new limits apply from the next request and usage so far is kept");
    }

    /** Configures {@link Subscriptions}. Not thread-safe. */
    public static final class Builder {

        private AccountStore accounts;
        private ApiKeyRegistry keys;
        private TierCatalog catalog;
        private SlidingWindowLimiter limiter;
        private Billing billing = Billing.simulated();
        private InstantSource clock = InstantSource.system();
        private LimitScope scope = LimitScope.ACCOUNT;
        private RandomGenerator random = new SecureRandom();

        private Builder() {
        }

        /** Sets the account store. Required. */
        public Builder accounts(AccountStore accounts) {
            this.accounts = Objects.requireNonNull(accounts, "accounts");
            return this;
        }

        /** Sets the key registry, for key counts. Required. */
        public Builder keys(ApiKeyRegistry keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /** Sets the tier catalog. Required. */
        public Builder catalog(TierCatalog catalog) {
            this.catalog = Objects.requireNonNull(catalog, "catalog");
            return this;
        }

        /** Sets the limiter whose usage {@link #status} reports. Required. */
        public Builder limiter(SlidingWindowLimiter limiter) {
            this.limiter = Objects.requireNonNull(limiter, "limiter");
            return this;
        }

        /** Sets the billing SPI; {@link Billing#simulated()} by default. */
        public Builder billing(Billing billing) {
            this.billing = Objects.requireNonNull(billing, "billing");
            return this;
        }

        /** Sets the time source; the system clock by default. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Sets the scope limits are counted per; {@link LimitScope#ACCOUNT} by default. */
        public Builder scope(LimitScope scope) {
            this.scope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        /** Sets the generator of account ids; a {@code SecureRandom} by default. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Builds the service.
         *
         * @throws NullPointerException if a required part is missing
         */
        public Subscriptions build() {
            return new Subscriptions(this);
        }
    }
}
