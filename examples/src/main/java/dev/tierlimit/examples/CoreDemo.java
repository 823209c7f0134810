package dev.tierlimit.examples;

import dev.tierlimit.Account;
import dev.tierlimit.ApiKeyRegistry;
import dev.tierlimit.Authentication;
import dev.tierlimit.Decision;
import dev.tierlimit.InMemoryAccountStore;
import dev.tierlimit.InMemoryApiKeyStore;
import dev.tierlimit.InMemorySlidingWindowLimiter;
import dev.tierlimit.IssuedKey;
import dev.tierlimit.LimitScope;
import dev.tierlimit.RateLimitHeaders;
import dev.tierlimit.Subscriptions;
import dev.tierlimit.Tier;
import dev.tierlimit.TierCatalog;
import java.time.InstantSource;

/**
 * Walks through the core API in one process: an account on the Free tier, a key, requests until the
 * hourly limit rejects one, and an upgrade that lifts the limit at once.
 */
public final class CoreDemo {

    private CoreDemo() {
    }

    /** Runs the walkthrough and prints each step. */
    public static void main(String[] args) {
        TierCatalog catalog = TierCatalog.standard();
        InMemoryAccountStore accounts = new InMemoryAccountStore();
        ApiKeyRegistry keys = ApiKeyRegistry.create(new InMemoryApiKeyStore(), accounts, catalog, InstantSource.system());
        InMemorySlidingWindowLimiter limiter = InMemorySlidingWindowLimiter.create();
        Subscriptions subscriptions = Subscriptions.builder()
                .accounts(accounts).keys(keys).catalog(catalog).limiter(limiter).build();

        for (Tier tier : catalog.tiers()) {
            System.out.printf("tier %-10s $%-4s hourly=%d daily=%d monthly=%d keys=%d%n", tier.id(), tier.monthlyPrice(),
                    tier.limits().get(0).maximum(), tier.limits().get(1).maximum(), tier.limits().get(2).maximum(),
                    tier.maxApiKeys());
        }

        Account account = subscriptions.createAccount("demo@example.com");
        IssuedKey issued = keys.issue(account.id(), "demo", null);
        System.out.println("account " + account.id() + " on tier " + account.tierId() + ", key " + issued.key().prefix()
                + "... issued");

        Decision decision = null;
        int admitted = 0;
        while (decision == null || decision.admitted()) {
            Authentication auth = keys.authenticate(issued.rawKey());
            String accountId = auth.key().accountId();
            Tier tier = catalog.get(subscriptions.account(accountId).tierId());
            decision = limiter.tryAcquire(LimitScope.ACCOUNT.limiterKey(accountId, null), tier.limits());
            admitted += decision.admitted() ? 1 : 0;
        }
        System.out.println("admitted " + admitted + " requests, then rejected: " + RateLimitHeaders.of(decision).asMap());

        System.out.println(subscriptions.changeTier(account.id(), "pro").message());
        Decision afterUpgrade = limiter.tryAcquire(LimitScope.ACCOUNT.limiterKey(account.id(), null),
                catalog.get("pro").limits());
        System.out.println("after upgrade: " + RateLimitHeaders.of(afterUpgrade).asMap());
    }
}
