package dev.tierlimit.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierlimit.Account;
import dev.tierlimit.ApiKey;
import dev.tierlimit.ApiKeyRegistry;
import dev.tierlimit.Authentication;
import dev.tierlimit.Decision;
import dev.tierlimit.Granularity;
import dev.tierlimit.InMemorySlidingWindowLimiter;
import dev.tierlimit.IssuedKey;
import dev.tierlimit.Limit;
import dev.tierlimit.LimitScope;
import dev.tierlimit.TierCatalog;
import dev.tierlimit.UsageHistory;
import dev.tierlimit.UsageReport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a service keeps across a restart when its stores live in a {@link CsvStore}. */
class RestartTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final TierCatalog CATALOG = TierCatalog.standard();
    private static final long MONTHLY_MAXIMUM = 10_000;
    private static final long USED_BEFORE_RESTART = 9_990;

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(T0);

    @Test
    void monthlyQuotaSurvivesRestart() {
        List<Limit> limits = CATALOG.get("free").limits();
        assertThat(CATALOG.get("free").limit("monthly").orElseThrow().maximum()).isEqualTo(MONTHLY_MAXIMUM);
        String key = LimitScope.ACCOUNT.limiterKey("acct_1", null);
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            InMemorySlidingWindowLimiter limiter = limiter();
            store.restoreLimiter(limiter);
            store.accounts().insert(new Account("acct_1", "a@example.com", "free", T0));
            consume(limiter, key, limits, USED_BEFORE_RESTART);
        }

        InMemorySlidingWindowLimiter restarted = limiter();
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            assertThat(store.restoreLimiter(restarted)).isEqualTo(1);
        }
        // Past the hourly and daily windows (plus a slot of each), so only the monthly limit still counts.
        clock.advance(Duration.ofHours(25).plusMinutes(24));

        int admitted = 0;
        Decision decision = restarted.tryAcquire(key, limits, 1);
        while (decision.admitted()) {
            admitted++;
            decision = restarted.tryAcquire(key, limits, 1);
        }
        assertThat(admitted).isEqualTo(MONTHLY_MAXIMUM - USED_BEFORE_RESTART);
        assertThat(decision.violated()).extracting(status -> status.limit().name()).containsExactly("monthly");
        assertThat(limiter().tryAcquire(key, limits, 1).admitted()).as("a limiter without the restored state").isTrue();
    }

    @Test
    void accountsKeysAndUsageSurviveRestart() {
        IssuedKey active;
        IssuedKey revoked;
        UsageReport usageBefore;
        List<Account> accountsBefore;
        List<ApiKey> keysBefore;
        Instant end = T0.plus(Duration.ofDays(3));
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            store.accounts().insert(new Account("acct_1", "a@example.com", "free", T0));
            store.accounts().insert(new Account("acct_2", "b@example.com", "free", T0));
            store.accounts().updateTier("acct_1", "business");
            ApiKeyRegistry registry = registry(store);
            active = registry.issue("acct_1", "production", null);
            revoked = registry.issue("acct_1", "old", T0.plus(Duration.ofDays(90)));
            registry.revoke("acct_1", revoked.key().id());
            UsageHistory history = new UsageHistory(store.usage(), clock);
            for (int i = 0; i < 50; i++) {
                clock.advance(Duration.ofMinutes(37));
                assertThat(registry.authenticate(active.rawKey()).status()).isEqualTo(Authentication.Status.AUTHENTICATED);
                history.record("acct_1", active.key().id(), 1 + i % 3);
                history.record("acct_2", null, 2);
            }
            usageBefore = history.query("acct_1", null, T0, end, Granularity.HOUR);
            accountsBefore = store.accounts().list();
            keysBefore = store.apiKeys().findByAccount("acct_1");
        }

        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            ApiKeyRegistry registry = registry(store);
            assertThat(store.accounts().list()).isEqualTo(accountsBefore);
            assertThat(store.accounts().find("acct_1").orElseThrow().tierId()).isEqualTo("business");
            assertThat(store.apiKeys().findByAccount("acct_1")).isEqualTo(keysBefore);
            assertThat(keysBefore.get(0).lastUsedAt()).isEqualTo(T0.plus(Duration.ofMinutes(37 * 50)));
            assertThat(registry.authenticate(active.rawKey()).status()).isEqualTo(Authentication.Status.AUTHENTICATED);
            assertThat(registry.authenticate(revoked.rawKey()).status()).isEqualTo(Authentication.Status.REVOKED);
            UsageHistory history = new UsageHistory(store.usage(), clock);
            assertThat(history.query("acct_1", null, T0, end, Granularity.HOUR)).isEqualTo(usageBefore);
            assertThat(usageBefore.totalRequests()).isEqualTo(50);
            assertThat(usageBefore.totalCost()).isEqualTo(99);
            assertThat(history.query("acct_2", null, T0, end, Granularity.DAY).totalCost()).isEqualTo(100);
        }
    }

    /** Admits {@code total} cost for {@code key}, moving the clock to each retry time the limiter reports. */
    private void consume(InMemorySlidingWindowLimiter limiter, String key, List<Limit> limits, long total) {
        long used = 0;
        while (used < total) {
            long cost = Math.min(60, total - used);
            Decision decision = limiter.tryAcquire(key, limits, cost);
            if (decision.admitted()) {
                used += cost;
            } else {
                clock.advance(decision.retryAfter().orElseThrow());
            }
        }
        assertThat(Duration.between(T0, clock.instant())).isLessThan(Duration.ofDays(15));
    }

    private InMemorySlidingWindowLimiter limiter() {
        return InMemorySlidingWindowLimiter.builder().clock(clock).build();
    }

    private ApiKeyRegistry registry(CsvStore store) {
        return ApiKeyRegistry.create(store.apiKeys(), store.accounts(), CATALOG, clock, "live", new Random(3));
    }
}
