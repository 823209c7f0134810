package dev.tierlimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SubscriptionsTest {

    private final MutableClock clock = MutableClock.at("2026-12-04T10:00:00Z");
    private final TierCatalog catalog = TierCatalog.standard();
    private final InMemoryAccountStore accounts = new InMemoryAccountStore();
    private final ApiKeyRegistry keys = ApiKeyRegistry.create(new InMemoryApiKeyStore(), accounts, catalog, clock);
    private final InMemorySlidingWindowLimiter limiter = InMemorySlidingWindowLimiter.builder().clock(clock).build();
    private final Subscriptions subscriptions = Subscriptions.builder()
            .accounts(accounts).keys(keys).catalog(catalog).limiter(limiter).clock(clock).build();

    private String limiterKey(Account account) {
        return LimitScope.ACCOUNT.limiterKey(account.id(), null);
    }

    @Test
    void createAccount_startsOnDefaultTier() {
        Account account = subscriptions.createAccount("a@example.com");

        assertThat(account.tierId()).isEqualTo("free");
        assertThat(account.id()).startsWith("acct_");
        assertThat(accounts.find(account.id())).contains(account);
        assertThatThrownBy(() -> subscriptions.createAccount("b@example.com", "gold"))
                .isInstanceOf(UnknownTierException.class);
        assertThatThrownBy(() -> subscriptions.createAccount("no-at-sign"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-at-sign");
    }

    @Test
    void status_reportsUsagePerLimit() {
        Account account = subscriptions.createAccount("a@example.com");
        keys.issue(account.id(), "", null);
        for (int i = 0; i < 15; i++) {
            limiter.tryAcquire(limiterKey(account), catalog.get("free").limits());
        }

        SubscriptionStatus status = subscriptions.status(account.id());

        assertThat(status.tier().id()).isEqualTo("free");
        assertThat(status.usage()).extracting(LimitStatus::used).containsExactly(15L, 15L, 15L);
        assertThat(status.usage()).extracting(LimitStatus::remaining).containsExactly(45L, 985L, 9_985L);
        assertThat(status.usage().get(0).percentUsed()).isEqualTo(25.0);
        assertThat(status.activeKeys()).isEqualTo(1);
        assertThat(status.maxKeys()).isEqualTo(2);
        assertThat(status.nextTier()).map(Tier::id).contains("pro");
    }

    @Test
    void changeTier_upgradeRaisesLimitAndKeepsUsage() {
        Account account = subscriptions.createAccount("a@example.com");
        List<Limit> free = catalog.get("free").limits();
        for (int i = 0; i < 60; i++) {
            assertThat(limiter.tryAcquire(limiterKey(account), free).admitted()).isTrue();
        }
        assertThat(limiter.tryAcquire(limiterKey(account), free).admitted()).isFalse();

        TierChangeResult result = subscriptions.changeTier(account.id(), "pro");

        assertThat(result.change()).isEqualTo(TierChange.UPGRADE);
        assertThat(result.changed()).isTrue();
        assertThat(result.previous().id()).isEqualTo("free");
        assertThat(result.current().id()).isEqualTo("pro");
        assertThat(result.billing().approved()).isTrue();
        assertThat(result.billing().simulated()).isTrue();
        assertThat(result.billing().message()).contains("simulated").contains("$29.00").contains("no payment");
        assertThat(accounts.find(account.id()).orElseThrow().tierId()).isEqualTo("pro");

        Decision next = limiter.tryAcquire(limiterKey(account), catalog.get("pro").limits());
        assertThat(next.admitted()).isTrue();
        assertThat(next.binding().used()).isEqualTo(61);
        assertThat(next.binding().remaining()).isEqualTo(539);
    }

    @Test
    void changeTier_downgradeBlockedByKeyCount() {
        Account account = subscriptions.createAccount("a@example.com", "pro");
        IssuedKey first = keys.issue(account.id(), "", null);
        keys.issue(account.id(), "", null);
        keys.issue(account.id(), "", null);

        assertThatThrownBy(() -> subscriptions.changeTier(account.id(), "free"))
                .isInstanceOf(DowngradeBlockedException.class)
                .hasMessageContaining("has 3 active API keys")
                .hasMessageContaining("allows 2")
                .hasMessageContaining("revoke 1 key before")
                .satisfies(e -> assertThat(((DowngradeBlockedException) e).keysToRevoke()).isEqualTo(1));
        assertThat(accounts.find(account.id()).orElseThrow().tierId()).isEqualTo("pro");

        keys.revoke(account.id(), first.key().id());
        TierChangeResult result = subscriptions.changeTier(account.id(), "free");
        assertThat(result.change()).isEqualTo(TierChange.DOWNGRADE);
        assertThat(result.changed()).isTrue();
        assertThat(result.billingResult()).isEmpty();
        assertThat(accounts.find(account.id()).orElseThrow().tierId()).isEqualTo("free");
    }

    @Test
    void changeTier_sameTierChangesNothing() {
        Account account = subscriptions.createAccount("a@example.com", "pro");

        TierChangeResult result = subscriptions.changeTier(account.id(), "pro");

        assertThat(result.change()).isEqualTo(TierChange.SAME);
        assertThat(result.changed()).isFalse();
        assertThat(result.message()).contains("already on tier \"pro\"");
        assertThat(result.billingResult()).isEmpty();
    }

    @Test
    void changeTier_unknownTierListsTiers() {
        Account account = subscriptions.createAccount("a@example.com");

        assertThatThrownBy(() -> subscriptions.changeTier(account.id(), "platinum"))
                .isInstanceOf(UnknownTierException.class)
                .hasMessageContaining("free, pro, business, enterprise");
    }

    @Test
    void changeTier_declinedPaymentKeepsTier() {
        Subscriptions declining = Subscriptions.builder().accounts(accounts).keys(keys).catalog(catalog)
                .limiter(limiter).clock(clock)
                .billing(request -> new Billing.Result(false, false, "ref-1", "card declined"))
                .build();
        Account account = declining.createAccount("a@example.com");

        assertThatThrownBy(() -> declining.changeTier(account.id(), "business"))
                .isInstanceOf(PaymentDeclinedException.class).hasMessageContaining("card declined");
        assertThat(accounts.find(account.id()).orElseThrow().tierId()).isEqualTo("free");
    }

    @Test
    void changeTier_unknownAccountFails() {
        assertThatThrownBy(() -> subscriptions.changeTier("acct_nobody", "pro"))
                .isInstanceOf(AccountNotFoundException.class).hasMessageContaining("acct_nobody");
    }
}
