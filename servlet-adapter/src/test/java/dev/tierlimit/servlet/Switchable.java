package dev.tierlimit.servlet;

import dev.tierlimit.Account;
import dev.tierlimit.AccountStore;
import dev.tierlimit.ApiKey;
import dev.tierlimit.ApiKeyRegistry;
import dev.tierlimit.ApiKeyStore;
import dev.tierlimit.Billing;
import dev.tierlimit.Decision;
import dev.tierlimit.InMemoryAccountStore;
import dev.tierlimit.InMemoryApiKeyStore;
import dev.tierlimit.InMemorySlidingWindowLimiter;
import dev.tierlimit.InMemoryUsageStore;
import dev.tierlimit.Limit;
import dev.tierlimit.LimitStatus;
import dev.tierlimit.LimiterUnavailableException;
import dev.tierlimit.SlidingWindowLimiter;
import dev.tierlimit.StoreException;
import dev.tierlimit.Subscriptions;
import dev.tierlimit.UsageBucket;
import dev.tierlimit.UsageHistory;
import dev.tierlimit.UsageStore;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-memory stores and limiter behind switches that make them fail as a broken disk or an
 * unreachable Redis would: stores throw {@link StoreException}, the limiter throws
 * {@link LimiterUnavailableException}. The key store also counts lookups by hash, so a test can tell
 * whether a key reached it. Everything else is the real in-memory implementation.
 */
final class Switchable {

    final AtomicInteger hashLookups = new AtomicInteger();
    volatile boolean keysFail;
    volatile boolean accountsFail;
    volatile boolean usageFails;
    volatile boolean limiterFails;

    /** Builds services over the switchable parts, on the test catalog and {@code clock}. */
    TierlimitServices services(MutableClock clock) {
        return services(clock, Billing.simulated());
    }

    /** Builds services over the switchable parts that charge tier changes through {@code billing}. */
    TierlimitServices services(MutableClock clock, Billing billing) {
        AccountStore accounts = new Accounts();
        ApiKeyRegistry keys = ApiKeyRegistry.create(new Keys(), accounts, TestApi.CATALOG, clock);
        SlidingWindowLimiter limiter = new Limiter(InMemorySlidingWindowLimiter.builder().clock(clock).build());
        return TierlimitServices.builder()
                .keys(keys)
                .accounts(accounts)
                .limiter(limiter)
                .usageHistory(new UsageHistory(new Usage(), clock))
                .subscriptions(Subscriptions.builder().accounts(accounts).keys(keys).catalog(TestApi.CATALOG)
                        .limiter(limiter).billing(billing).clock(clock).build())
                .clock(clock)
                .build();
    }

    private static StoreException storeFailure(String store) {
        return new StoreException("test " + store + " store failed", new IOException("disk unavailable (test)"));
    }

    private final class Keys implements ApiKeyStore {

        private final InMemoryApiKeyStore delegate = new InMemoryApiKeyStore();

        @Override
        public void insert(ApiKey key) {
            delegate.insert(key);
        }

        @Override
        public void update(ApiKey key) {
            delegate.update(key);
        }

        @Override
        public Optional<ApiKey> findByHash(String hashHex) {
            hashLookups.incrementAndGet();
            if (keysFail) {
                throw storeFailure("key");
            }
            return delegate.findByHash(hashHex);
        }

        @Override
        public Optional<ApiKey> findById(String id) {
            return delegate.findById(id);
        }

        @Override
        public List<ApiKey> findByAccount(String accountId) {
            if (keysFail) {
                throw storeFailure("key");
            }
            return delegate.findByAccount(accountId);
        }

        @Override
        public void recordLastUsed(String id, Instant at) {
            delegate.recordLastUsed(id, at);
        }

        @Override
        public long count() {
            return delegate.count();
        }
    }

    private final class Accounts implements AccountStore {

        private final InMemoryAccountStore delegate = new InMemoryAccountStore();

        @Override
        public Optional<Account> find(String id) {
            if (accountsFail) {
                throw storeFailure("account");
            }
            return delegate.find(id);
        }

        @Override
        public void insert(Account account) {
            delegate.insert(account);
        }

        @Override
        public Account updateTier(String id, String tierId) {
            return delegate.updateTier(id, tierId);
        }

        @Override
        public List<Account> list() {
            return delegate.list();
        }

        @Override
        public long count() {
            return delegate.count();
        }
    }

    private final class Usage implements UsageStore {

        private final InMemoryUsageStore delegate = new InMemoryUsageStore();

        @Override
        public void add(String accountId, String keyId, Instant hourStart, long requests, long cost) {
            if (usageFails) {
                throw storeFailure("usage");
            }
            delegate.add(accountId, keyId, hourStart, requests, cost);
        }

        @Override
        public List<UsageBucket> find(String accountId, String keyId, Instant from, Instant to) {
            return delegate.find(accountId, keyId, from, to);
        }

        @Override
        public int deleteBefore(Instant cutoff) {
            return delegate.deleteBefore(cutoff);
        }
    }

    private final class Limiter implements SlidingWindowLimiter {

        private final SlidingWindowLimiter delegate;

        Limiter(SlidingWindowLimiter delegate) {
            this.delegate = delegate;
        }

        private void failIfSwitchedOn() {
            if (limiterFails) {
                throw new LimiterUnavailableException("test limiter backend unreachable",
                        new ConnectException("connection refused (test)"));
            }
        }

        @Override
        public Decision tryAcquire(String key, List<Limit> limits, long cost) {
            failIfSwitchedOn();
            return delegate.tryAcquire(key, limits, cost);
        }

        @Override
        public List<LimitStatus> usage(String key, List<Limit> limits) {
            failIfSwitchedOn();
            return delegate.usage(key, limits);
        }

        @Override
        public void reset(String key) {
            delegate.reset(key);
        }

        @Override
        public int precision() {
            return delegate.precision();
        }
    }
}
