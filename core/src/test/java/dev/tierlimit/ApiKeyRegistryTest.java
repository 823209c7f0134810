package dev.tierlimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class ApiKeyRegistryTest {

    private final MutableClock clock = MutableClock.at("2026-12-04T10:00:00Z");
    private final InMemoryAccountStore accounts = new InMemoryAccountStore();
    private final LookupCountingStore keyStore = new LookupCountingStore();
    private final ApiKeyRegistry registry = ApiKeyRegistry.create(keyStore, accounts, TierCatalog.standard(), clock);

    private Account account(String id, String tier) {
        Account account = new Account(id, id + "@example.com", tier, clock.instant());
        accounts.insert(account);
        return account;
    }

    @Test
    void issue_storesOnlyHash() {
        account("acct_a", "pro");
        IssuedKey issued = registry.issue("acct_a", "ci", null);

        assertThat(issued.rawKey()).startsWith("tlk_live_").hasSize(45);
        assertThat(ApiKeyFormat.isWellFormed(issued.rawKey())).isTrue();
        ApiKey stored = keyStore.findById(issued.key().id()).orElseThrow();
        assertThat(stored.hash()).isEqualTo(ApiKeyFormat.sha256Hex(issued.rawKey()));
        assertThat(stored.prefix()).hasSize(8).isEqualTo(issued.rawKey().substring(9, 17));
        assertThat(stored.toString()).doesNotContain(issued.rawKey()).doesNotContain(stored.hash());
        assertThat(issued.toString()).doesNotContain(issued.rawKey());
        for (Object field : List.of(stored.id(), stored.label(), stored.prefix(), stored.hash())) {
            assertThat(field.toString()).doesNotContain(issued.rawKey().substring(9));
        }
    }

    @Test
    void issue_hashesDifferPerKey() {
        account("acct_a", "enterprise");
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            hashes.add(registry.issue("acct_a", "k" + i, null).key().hash());
        }
        assertThat(hashes).doesNotHaveDuplicates();
    }

    @Test
    void authenticate_acceptsActiveKey() {
        account("acct_a", "free");
        IssuedKey issued = registry.issue("acct_a", "", null);

        Authentication auth = registry.authenticate(issued.rawKey());

        assertThat(auth.status()).isEqualTo(Authentication.Status.AUTHENTICATED);
        assertThat(auth.key().accountId()).isEqualTo("acct_a");
        assertThat(keyStore.findById(issued.key().id()).orElseThrow().lastUsedAt()).isEqualTo(clock.instant());
    }

    @Test
    void authenticate_badChecksumSkipsStore() {
        account("acct_a", "free");
        String raw = registry.issue("acct_a", "", null).rawKey();
        String typo = raw.substring(0, 20) + (raw.charAt(20) == 'a' ? 'b' : 'a') + raw.substring(21);
        int lookupsBefore = keyStore.hashLookups.get();

        assertThat(registry.authenticate(typo).status()).isEqualTo(Authentication.Status.MALFORMED);
        assertThat(registry.authenticate("not-a-key").status()).isEqualTo(Authentication.Status.MALFORMED);
        assertThat(registry.authenticate("tlk_live_" + "x".repeat(200)).status())
                .isEqualTo(Authentication.Status.MALFORMED);
        assertThat(keyStore.hashLookups.get()).isEqualTo(lookupsBefore);
    }

    @Test
    void authenticate_reportsMissingAndUnknown() {
        assertThat(registry.authenticate(null).status()).isEqualTo(Authentication.Status.MISSING);
        assertThat(registry.authenticate("  ").status()).isEqualTo(Authentication.Status.MISSING);
        String stranger = ApiKeyFormat.generate("live", new SplittableRandom(7));
        assertThat(registry.authenticate(stranger).status()).isEqualTo(Authentication.Status.UNKNOWN);
    }

    @Test
    void authenticate_rejectsRevokedKey() {
        account("acct_a", "free");
        IssuedKey issued = registry.issue("acct_a", "", null);

        assertThat(registry.revoke("acct_a", issued.key().id())).isTrue();
        assertThat(registry.revoke("acct_a", issued.key().id())).isFalse();

        assertThat(registry.authenticate(issued.rawKey()).status()).isEqualTo(Authentication.Status.REVOKED);
    }

    @Test
    void authenticate_rejectsExpiredKey() {
        account("acct_a", "free");
        IssuedKey issued = registry.issue("acct_a", "", clock.instant().plusSeconds(60));

        clock.advanceMillis(59_999);
        assertThat(registry.authenticate(issued.rawKey()).authenticated()).isTrue();
        clock.advanceMillis(1);
        assertThat(registry.authenticate(issued.rawKey()).status()).isEqualTo(Authentication.Status.EXPIRED);
    }

    @Test
    void authenticate_keysSharingPrefixStaySeparate() {
        account("acct_a", "free");
        account("acct_b", "free");
        ApiKeyRegistry fixedPrefix = ApiKeyRegistry.create(keyStore, accounts, TierCatalog.standard(), clock, "live",
                new SamePrefixRandom());

        IssuedKey a = fixedPrefix.issue("acct_a", "", null);
        IssuedKey b = fixedPrefix.issue("acct_b", "", null);

        assertThat(a.key().prefix()).isEqualTo(b.key().prefix());
        assertThat(a.rawKey()).isNotEqualTo(b.rawKey());
        assertThat(fixedPrefix.authenticate(a.rawKey()).key().accountId()).isEqualTo("acct_a");
        assertThat(fixedPrefix.authenticate(b.rawKey()).key().accountId()).isEqualTo("acct_b");
    }

    @Test
    void issue_enforcesTierMaximum() {
        account("acct_a", "free");
        registry.issue("acct_a", "one", null);
        IssuedKey second = registry.issue("acct_a", "two", null);

        assertThatThrownBy(() -> registry.issue("acct_a", "three", null))
                .isInstanceOf(KeyLimitReachedException.class)
                .hasMessageContaining("maximum of 2 active API keys")
                .hasMessageContaining("\"free\"")
                .satisfies(e -> assertThat(((KeyLimitReachedException) e).maximum()).isEqualTo(2));

        registry.revoke("acct_a", second.key().id());
        assertThat(registry.issue("acct_a", "three", null).key().label()).isEqualTo("three");
    }

    @Test
    void issue_expiredKeysDoNotCount() {
        account("acct_a", "free");
        registry.issue("acct_a", "", clock.instant().plusSeconds(10));
        registry.issue("acct_a", "", null);
        clock.advance(Duration.ofSeconds(10));

        assertThat(registry.activeKeyCount("acct_a")).isEqualTo(1);
        assertThat(registry.issue("acct_a", "", null)).isNotNull();
    }

    @Test
    void issue_concurrentCallsRespectMaximum() throws Exception {
        account("acct_a", "free");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Callable<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                calls.add(() -> {
                    try {
                        registry.issue("acct_a", "", null);
                        return true;
                    } catch (KeyLimitReachedException e) {
                        return false;
                    }
                });
            }
            int issued = 0;
            for (Future<Boolean> result : pool.invokeAll(calls)) {
                issued += result.get() ? 1 : 0;
            }
            assertThat(issued).isEqualTo(2);
            assertThat(registry.list("acct_a")).hasSize(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void issue_rejectsBadArguments() {
        account("acct_a", "free");
        assertThatThrownBy(() -> registry.issue("acct_a", "x".repeat(201), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("201");
        assertThatThrownBy(() -> registry.issue("acct_a", "", clock.instant()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("future");
        assertThatThrownBy(() -> registry.issue("acct_missing", "", null))
                .isInstanceOf(AccountNotFoundException.class).hasMessageContaining("acct_missing");
    }

    @Test
    void rotate_keepsOldKeyForOverlap() {
        account("acct_a", "free");
        registry.issue("acct_a", "first", null);
        IssuedKey old = registry.issue("acct_a", "second", null);

        IssuedKey fresh = registry.rotate("acct_a", old.key().id(), Duration.ofMinutes(5));

        assertThat(fresh.key().label()).isEqualTo("second");
        assertThat(registry.authenticate(fresh.rawKey()).authenticated()).isTrue();
        assertThat(registry.authenticate(old.rawKey()).authenticated()).isTrue();
        clock.advance(Duration.ofMinutes(5));
        assertThat(registry.authenticate(old.rawKey()).status()).isEqualTo(Authentication.Status.EXPIRED);
        assertThat(registry.authenticate(fresh.rawKey()).authenticated()).isTrue();
    }

    @Test
    void rotate_zeroOverlapRevokesAtOnce() {
        account("acct_a", "free");
        IssuedKey old = registry.issue("acct_a", "", null);

        registry.rotate("acct_a", old.key().id(), Duration.ZERO);

        assertThat(registry.authenticate(old.rawKey()).status()).isEqualTo(Authentication.Status.REVOKED);
        assertThatThrownBy(() -> registry.rotate("acct_a", old.key().id(), Duration.ZERO))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("revoked");
    }

    @Test
    void revoke_otherAccountsKeyNotFound() {
        account("acct_a", "free");
        account("acct_b", "free");
        IssuedKey key = registry.issue("acct_a", "", null);

        assertThatThrownBy(() -> registry.revoke("acct_b", key.key().id()))
                .isInstanceOf(KeyNotFoundException.class).hasMessageContaining(key.key().id());
        assertThatThrownBy(() -> registry.rotate("acct_b", key.key().id(), Duration.ZERO))
                .isInstanceOf(KeyNotFoundException.class);
        assertThat(registry.authenticate(key.rawKey()).authenticated()).isTrue();
    }

    @Test
    void format_checksumCatchesEverySingleEdit() {
        String raw = ApiKeyFormat.generate("test", new SplittableRandom(1));
        assertThat(raw).startsWith("tlk_test_");
        for (int i = 9; i < raw.length(); i++) {
            char replacement = raw.charAt(i) == 'Z' ? 'Y' : 'Z';
            String edited = raw.substring(0, i) + replacement + raw.substring(i + 1);
            assertThat(ApiKeyFormat.isWellFormed(edited)).as("edit at %d", i).isFalse();
        }
        assertThat(ApiKeyFormat.redact(raw)).isEqualTo(raw.substring(0, 17) + "...");
        assertThat(ApiKeyFormat.redact("garbage")).isEqualTo("***");
    }

    /** Returns the same eight first body characters for every key, so two keys share a display prefix. */
    private static final class SamePrefixRandom implements RandomGenerator {
        private final SplittableRandom random = new SplittableRandom(3);
        private int call;

        @Override
        public long nextLong() {
            return random.nextLong();
        }

        @Override
        public int nextInt(int bound) {
            // Each issue draws 30 body characters, then 16 id characters.
            int position = call++ % (ApiKeyFormat.BODY_LENGTH + 16);
            return position < ApiKeyFormat.DISPLAY_PREFIX_LENGTH ? 7 : random.nextInt(bound);
        }
    }

    /** A real in-memory store that counts lookups by hash. */
    private static final class LookupCountingStore implements ApiKeyStore {
        private final InMemoryApiKeyStore delegate = new InMemoryApiKeyStore();
        final AtomicInteger hashLookups = new AtomicInteger();

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
            return delegate.findByHash(hashHex);
        }

        @Override
        public Optional<ApiKey> findById(String id) {
            return delegate.findById(id);
        }

        @Override
        public List<ApiKey> findByAccount(String accountId) {
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
}
