package dev.tierlimit.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierlimit.Account;
import dev.tierlimit.ApiKey;
import dev.tierlimit.ApiKeyFormat;
import dev.tierlimit.ApiKeyRegistry;
import dev.tierlimit.InMemorySlidingWindowLimiter;
import dev.tierlimit.IssuedKey;
import dev.tierlimit.Limit;
import dev.tierlimit.LimiterSnapshot;
import dev.tierlimit.TierCatalog;
import dev.tierlimit.UsageBucket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvStoreRoundTripTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final String AWKWARD = "Doe, \"JD\" Jr.";

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(T0);

    @Test
    void accountsSurviveReopen() {
        List<Account> written = List.of(
                new Account("acct_1", AWKWARD + " <jd@example.com>", "pro", T0),
                new Account("acct_2", "émilie.ünïcode+🚀@例え.jp", "free", T0.plusMillis(1)),
                new Account("acct_3", " spaced@example.com ", "enterprise", T0.plusSeconds(3600)));
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            written.forEach(store.accounts()::insert);
        }

        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            assertThat(store.accounts().list()).containsExactlyElementsOf(written);
        }
        List<List<String>> records = CsvTestFiles.records(directory.resolve("users.csv"));
        assertThat(records).hasSize(4);
        assertThat(records.get(0)).containsExactly("id", "email", "created_at", "subscription_tier");
        assertThat(records.get(1)).containsExactly("acct_1", AWKWARD + " <jd@example.com>", "2030-01-01T00:00:00Z", "pro");
    }

    @Test
    void commasQuotesAndLineBreaksRoundTrip() {
        List<String> labels = List.of(AWKWARD, "first line\nsecond line", "windows\r\nline", "🚀 ключ 日本語", "");
        List<ApiKey> issued;
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            store.accounts().insert(new Account("acct_1", AWKWARD + "@example.com", "enterprise", T0));
            ApiKeyRegistry registry = registry(store);
            for (String label : labels) {
                registry.issue("acct_1", label, null);
            }
            issued = store.apiKeys().findByAccount("acct_1");
        }

        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            assertThat(store.apiKeys().findByAccount("acct_1")).containsExactlyElementsOf(issued);
            assertThat(store.apiKeys().findByAccount("acct_1")).extracting(ApiKey::label).containsExactlyElementsOf(labels);
            assertThat(store.accounts().find("acct_1").orElseThrow().email()).isEqualTo(AWKWARD + "@example.com");
        }
        List<List<String>> records = CsvTestFiles.records(directory.resolve("api_keys.csv"));
        assertThat(records).hasSize(1 + labels.size());
        assertThat(records.subList(1, records.size())).extracting(record -> record.get(2)).containsExactlyElementsOf(labels);
        assertThat(CsvTestFiles.records(directory.resolve("users.csv"))).hasSize(2);
    }

    @Test
    void apiKeysFileHoldsNoRawKey() {
        IssuedKey issued;
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            store.accounts().insert(new Account("acct_1", "a@example.com", "free", T0));
            issued = registry(store).issue("acct_1", "ci", T0.plus(Duration.ofDays(30)));
            registry(store).authenticate(issued.rawKey());
        }

        String text = new String(CsvTestFiles.bytes(directory.resolve("api_keys.csv")), StandardCharsets.UTF_8);
        assertThat(text).doesNotContain(issued.rawKey());
        assertThat(text).doesNotContain(issued.rawKey().substring(9));
        assertThat(text).contains(ApiKeyFormat.sha256Hex(issued.rawKey()));
        List<String> record = CsvTestFiles.records(directory.resolve("api_keys.csv")).get(1);
        assertThat(record).containsExactly(issued.key().id(), "acct_1", "ci", issued.key().prefix(),
                ApiKeyFormat.sha256Hex(issued.rawKey()), "2030-01-01T00:00:00Z", "2030-01-01T00:00:00Z", "",
                "2030-01-31T00:00:00Z");
    }

    @Test
    void usageBucketsSurviveReopen() {
        Instant hour = T0.plus(Duration.ofHours(5));
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            store.usage().add("acct_1", "", hour, 3, 7);
            store.usage().add("acct_1", "key_a", hour, 1, 1);
            store.flush();
            store.usage().add("acct_1", "key_a", hour, 2, 5);
            store.usage().add("acct_1", "key, \"b\"", hour.plus(Duration.ofHours(1)), 1, 2);
        }

        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            assertThat(store.usage().find("acct_1", null, T0, T0.plus(Duration.ofDays(1)))).containsExactly(
                    new UsageBucket("acct_1", "", hour, 3, 7),
                    new UsageBucket("acct_1", "key_a", hour, 3, 6),
                    new UsageBucket("acct_1", "key, \"b\"", hour.plus(Duration.ofHours(1)), 1, 2));
        }
        assertThat(CsvTestFiles.fileNames(directory)).doesNotContain("usage-000001.csv");
    }

    @Test
    void limiterStateSurvivesReopen() {
        List<Limit> limits = TierCatalog.standard().get("free").limits();
        InMemorySlidingWindowLimiter limiter = InMemorySlidingWindowLimiter.builder().clock(clock).build();
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            limiter.tryAcquire("account:a" + random.nextInt(20), limits, 1 + random.nextInt(5));
            limiter.tryAcquire("key:k,\"" + random.nextInt(5), List.of(Limit.hourly(100)), 1);
            clock.advance(Duration.ofSeconds(random.nextInt(400)));
        }
        LimiterSnapshot saved;
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            assertThat(store.restoreLimiter(limiter)).isZero();
            saved = limiter.snapshot();
        }

        InMemorySlidingWindowLimiter restored = InMemorySlidingWindowLimiter.builder().clock(clock).build();
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            assertThat(store.restoreLimiter(restored)).isEqualTo(saved.keys().size());
        }
        assertThat(restored.snapshot()).isEqualTo(saved);
        assertThat(saved.keys()).hasSizeGreaterThan(20);
    }

    @Test
    void byteOrderMarkAndCrlfAccepted() {
        String text = "id,email,created_at,subscription_tier\r\n"
                + "acct_1,one@example.com,2030-01-01T00:00:00Z,pro\r\n"
                + "acct_2,two@example.com,2030-01-02T00:00:00Z,free\r\n";
        CsvTestFiles.write(directory.resolve("users.csv"), true, text);

        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            assertThat(store.accounts().find("acct_1").orElseThrow().tierId()).isEqualTo("pro");
            assertThat(store.accounts().find("acct_2").orElseThrow().createdAt()).isEqualTo(Instant.parse("2030-01-02T00:00:00Z"));
            store.accounts().updateTier("acct_2", "business");
        }

        String expected = text.replace("2030-01-02T00:00:00Z,free", "2030-01-02T00:00:00Z,business");
        byte[] bytes = CsvTestFiles.bytes(directory.resolve("users.csv"));
        assertThat(new String(bytes, 0, 3, StandardCharsets.ISO_8859_1)).isEqualTo("\u00EF\u00BB\u00BF");
        assertThat(new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @Test
    void keysFileWithByteOrderMarkLoads() {
        String raw = ApiKeyFormat.generate("live", new Random(4));
        String hash = ApiKeyFormat.sha256Hex(raw);
        CsvTestFiles.write(directory.resolve("users.csv"), true, "id,email,created_at,subscription_tier\r\n"
                + "acct_1,a@example.com,2030-01-01T00:00:00Z,pro\r\n");
        CsvTestFiles.write(directory.resolve("api_keys.csv"), true,
                "id,account_id,label,prefix,hash,created_at,last_used_at,revoked_at,expires_at\r\n"
                + "key_1,acct_1,\"Doe, \"\"JD\"\" Jr.\r\nsecond line\"," + ApiKeyFormat.displayPrefix(raw) + "," + hash
                + ",2030-01-01T00:00:00Z,,,2031-01-01T00:00:00Z\r\n");
        CsvTestFiles.write(directory.resolve("usage.csv"), true, "account_id,key_id,hour_start,requests,cost\r\n"
                + "acct_1,key_1,2030-01-01T00:00:00Z,2,5\r\n");

        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            ApiKey key = registry(store).authenticate(raw).apiKey().orElseThrow();
            assertThat(key.id()).isEqualTo("key_1");
            assertThat(key.label()).isEqualTo(AWKWARD + "\r\nsecond line");
            assertThat(key.expiresAt()).isEqualTo(Instant.parse("2031-01-01T00:00:00Z"));
            assertThat(store.usage().find("acct_1", "key_1", T0, T0.plus(Duration.ofHours(1))))
                    .containsExactly(new UsageBucket("acct_1", "key_1", T0, 2, 5));
        }
        String keys = new String(CsvTestFiles.bytes(directory.resolve("api_keys.csv")), StandardCharsets.UTF_8);
        assertThat(keys).startsWith("\uFEFFid,account_id,label,prefix,hash,created_at,last_used_at,revoked_at,expires_at\r\n");
        assertThat(keys).endsWith(",2030-01-01T00:00:00Z,2030-01-01T00:00:00Z,,2031-01-01T00:00:00Z\r\n");
        assertThat(keys).contains("\"Doe, \"\"JD\"\" Jr.\r\nsecond line\"");
    }

    @Test
    void columnsFoundByHeaderName() {
        CsvTestFiles.write(directory.resolve("users.csv"), false, "Subscription_Tier, created_at ,EMAIL,note,id\n"
                + "business,2030-01-01T01:00:00+01:00,x@example.com,\"keep, this\",acct_9\n");

        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            assertThat(store.accounts().find("acct_9")).contains(new Account("acct_9", "x@example.com", "business", T0));
        }
    }

    private ApiKeyRegistry registry(CsvStore store) {
        return ApiKeyRegistry.create(store.apiKeys(), store.accounts(), TierCatalog.standard(), clock, "live", new Random(1));
    }
}
