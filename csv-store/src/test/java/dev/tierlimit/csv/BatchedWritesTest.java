package dev.tierlimit.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierlimit.Account;
import dev.tierlimit.ApiKeyRegistry;
import dev.tierlimit.IssuedKey;
import dev.tierlimit.StoreException;
import dev.tierlimit.TierCatalog;
import dev.tierlimit.UsageBucket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage and last-used times reach the disk on flush, and failed writes lose nothing. */
class BatchedWritesTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant HOUR = T0.plus(Duration.ofHours(2));
    private static final List<String> USAGE_HEADER = List.of("account_id", "key_id", "hour_start", "requests", "cost");

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(T0);

    @Test
    void usageWrittenOnFlush() {
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            store.usage().add("acct_1", "key_1", HOUR, 1, 4);
            assertThat(CsvTestFiles.records(directory.resolve("usage.csv"))).containsExactly(USAGE_HEADER);
            assertThat(CsvTestFiles.fileNames(directory)).doesNotContain("usage-000001.csv");

            store.flush();
            assertThat(CsvTestFiles.records(directory.resolve("usage-000001.csv")))
                    .containsExactly(USAGE_HEADER, List.of("acct_1", "key_1", "2030-01-01T02:00:00Z", "1", "4"));

            store.usage().add("acct_1", "key_1", HOUR, 1, 2);
            store.flush();
            assertThat(CsvTestFiles.records(directory.resolve("usage-000002.csv")))
                    .containsExactly(USAGE_HEADER, List.of("acct_1", "key_1", "2030-01-01T02:00:00Z", "2", "6"));
        }

        assertThat(CsvTestFiles.records(directory.resolve("usage.csv")))
                .containsExactly(USAGE_HEADER, List.of("acct_1", "key_1", "2030-01-01T02:00:00Z", "2", "6"));
        assertThat(CsvTestFiles.fileNames(directory)).noneMatch(name -> name.startsWith("usage-"));
    }

    @Test
    void lastUseWrittenOnFlush() {
        Path keys = directory.resolve("api_keys.csv");
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            store.accounts().insert(new Account("acct_1", "a@example.com", "free", T0));
            ApiKeyRegistry registry = ApiKeyRegistry.create(store.apiKeys(), store.accounts(), TierCatalog.standard(), clock,
                    "live", new Random(5));
            IssuedKey issued = registry.issue("acct_1", "", null);
            clock.advance(Duration.ofMinutes(5));
            registry.authenticate(issued.rawKey());
            assertThat(CsvTestFiles.records(keys).get(1).get(6)).isEmpty();
            assertThat(store.apiKeys().findById(issued.key().id()).orElseThrow().lastUsedAt()).isEqualTo(clock.instant());

            store.flush();
            assertThat(CsvTestFiles.records(keys).get(1).get(6)).isEqualTo("2030-01-01T00:05:00Z");
        }
    }

    @Test
    void failedFlushKeepsUsage() throws IOException {
        Path blocker = directory.resolve("usage-000001.csv");
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            store.usage().add("acct_1", "", HOUR, 1, 3);
            // A non-empty directory where the segment goes makes the rename fail, as a full disk would.
            Files.createDirectories(blocker.resolve("inside"));

            assertThatThrownBy(store::flush).isInstanceOf(StoreException.class).hasMessageContaining("usage-000001.csv");
            store.usage().add("acct_1", "", HOUR, 1, 3);
            assertThat(store.usage().find("acct_1", null, T0, HOUR.plus(Duration.ofHours(1))))
                    .containsExactly(new UsageBucket("acct_1", "", HOUR, 2, 6));
            assertThat(CsvTestFiles.fileNames(directory)).noneMatch(name -> name.endsWith(".tmp"));

            Files.delete(blocker.resolve("inside"));
            Files.delete(blocker);
            store.flush();
            assertThat(CsvTestFiles.records(blocker)).containsExactly(USAGE_HEADER,
                    List.of("acct_1", "", "2030-01-01T02:00:00Z", "2", "6"));
        }
    }

    @Test
    void failedInsertIsUndone() throws IOException {
        Path users = directory.resolve("users.csv");
        Path aside = directory.resolve("users.saved");
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            store.accounts().insert(new Account("acct_1", "a@example.com", "free", T0));
            Files.move(users, aside);
            Files.createDirectories(users.resolve("inside"));

            assertThatThrownBy(() -> store.accounts().insert(new Account("acct_2", "b@example.com", "free", T0)))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("writing " + users.toRealPath() + " failed, the previous file is unchanged");
            assertThatThrownBy(() -> store.accounts().updateTier("acct_1", "pro")).isInstanceOf(StoreException.class);
            assertThat(store.accounts().find("acct_2")).isEmpty();
            assertThat(store.accounts().find("acct_1").orElseThrow().tierId()).isEqualTo("free");
            assertThat(store.accounts().count()).isEqualTo(1);

            Files.delete(users.resolve("inside"));
            Files.delete(users);
            Files.move(aside, users);
            store.accounts().insert(new Account("acct_2", "b@example.com", "pro", T0));
        }

        assertThat(CsvTestFiles.records(users)).extracting(record -> record.get(0) + " " + record.get(3))
                .containsExactly("id subscription_tier", "acct_1 free", "acct_2 pro");
    }

    @Test
    void staleTemporaryFilesIgnored() {
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            store.accounts().insert(new Account("acct_1", "a@example.com", "free", T0));
        }
        // What a writer killed mid-write leaves: a complete-looking and a truncated temporary file.
        CsvTestFiles.write(directory.resolve(".users.csv.8812.tmp"), false,
                "id,email,created_at,subscription_tier\nacct_ghost,g@example.com,2030-01-01T00:00:00Z,pro\n");
        CsvTestFiles.write(directory.resolve(".usage.csv.51.tmp"), false, "account_id,key_id,hour_st");

        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            assertThat(store.accounts().list()).extracting(Account::id).containsExactly("acct_1");
        }
        assertThat(CsvTestFiles.fileNames(directory)).containsExactly("api_keys.csv", "tierlimit.lock", "usage.csv",
                "users.csv");
    }

    @Test
    void leftoverSegmentsFoldedOnOpen() {
        String hour = "2030-01-01T02:00:00Z";
        CsvTestFiles.write(directory.resolve("usage.csv"), false, "account_id,key_id,hour_start,requests,cost\n"
                + "acct_1,,2030-01-01T01:00:00Z,5,5\n"
                + "acct_1,k," + hour + ",9,20\n");
        // Segment 7 was written before the compaction that produced usage.csv; 8 after it.
        CsvTestFiles.write(directory.resolve("usage-000007.csv"), false, "account_id,key_id,hour_start,requests,cost\n"
                + "acct_1,k," + hour + ",4,8\n");
        CsvTestFiles.write(directory.resolve("usage-000008.csv"), false, "account_id,key_id,hour_start,requests,cost\n"
                + "acct_1,k," + hour + ",10,22\n"
                + "acct_2,," + hour + ",1,1\n");

        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            assertThat(store.usage().find("acct_1", null, T0, T0.plus(Duration.ofDays(1)))).containsExactly(
                    new UsageBucket("acct_1", "", T0.plus(Duration.ofHours(1)), 5, 5),
                    new UsageBucket("acct_1", "k", HOUR, 10, 22));
            assertThat(store.usage().find("acct_2", null, T0, T0.plus(Duration.ofDays(1))))
                    .containsExactly(new UsageBucket("acct_2", "", HOUR, 1, 1));
            assertThat(CsvTestFiles.fileNames(directory)).noneMatch(name -> name.startsWith("usage-"));
        }
        assertThat(CsvTestFiles.records(directory.resolve("usage.csv"))).hasSize(4);
    }

    @Test
    void retentionPurgeRewritesUsage() {
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            store.usage().add("acct_1", "", T0, 1, 1);
            store.usage().add("acct_1", "", HOUR, 2, 2);
            store.flush();
            assertThat(CsvTestFiles.fileNames(directory)).contains("usage-000001.csv");

            assertThat(store.usage().deleteBefore(T0.plus(Duration.ofHours(1)))).isEqualTo(1);
            store.flush();

            assertThat(CsvTestFiles.fileNames(directory)).noneMatch(name -> name.startsWith("usage-"));
            assertThat(CsvTestFiles.records(directory.resolve("usage.csv")))
                    .containsExactly(USAGE_HEADER, List.of("acct_1", "", "2030-01-01T02:00:00Z", "2", "2"));
        }
    }
}
