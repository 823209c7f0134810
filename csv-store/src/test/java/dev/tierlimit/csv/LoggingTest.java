package dev.tierlimit.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierlimit.Account;
import dev.tierlimit.ApiKeyFormat;
import dev.tierlimit.ApiKeyRegistry;
import dev.tierlimit.Authentication;
import dev.tierlimit.IssuedKey;
import dev.tierlimit.TierCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoggingTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(T0);

    @Test
    void logsNeverContainRawKey() {
        IssuedKey issued;
        String text;
        try (LogCapture logs = new LogCapture()) {
            try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
                store.accounts().insert(new Account("acct_1", "a@example.com", "free", T0));
                ApiKeyRegistry registry = registry(store);
                issued = registry.issue("acct_1", "ci", null);
                String typo = issued.rawKey().substring(0, issued.rawKey().length() - 1) + "x";
                assertThat(registry.authenticate(issued.rawKey()).status()).isEqualTo(Authentication.Status.AUTHENTICATED);
                assertThat(registry.authenticate(typo).status()).isNotEqualTo(Authentication.Status.AUTHENTICATED);
                store.flush();
            }
            try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
                assertThat(registry(store).authenticate(issued.rawKey()).authenticated()).isTrue();
            }
            text = logs.text();
        }

        assertThat(text).contains("Opened the CSV store of " + directory.toAbsolutePath());
        assertThat(text).contains("1 accounts, 1 API keys, 0 usage buckets");
        assertThat(text).doesNotContain(issued.rawKey().substring("tlk_live_".length()));
        assertThat(text).doesNotContain(ApiKeyFormat.sha256Hex(issued.rawKey()));
    }

    @Test
    void failedBackgroundFlushLogged() throws Exception {
        Path blocker = directory.resolve("usage-000001.csv");
        try (LogCapture logs = new LogCapture()) {
            try (CsvStore store = CsvStore.builder(directory).clock(clock).flushInterval(Duration.ofMillis(5)).open()) {
                Files.createDirectories(blocker.resolve("inside"));
                store.usage().add("acct_1", "", T0, 1, 1);
                awaitLog(logs, "WARN dev.tierlimit.csv.CsvStore - Background flush of the CSV store failed; the changes stay"
                        + " in memory");

                Files.delete(blocker.resolve("inside"));
                Files.delete(blocker);
                awaitLog(logs, "Background flush of the CSV store succeeded again after failing");
            }
            assertThat(logs.text()).containsOnlyOnce("Background flush of the CSV store failed");
        }
        assertThat(CsvTestFiles.records(directory.resolve("usage.csv"))).hasSize(2);
    }

    /** Waits for a background thread to log {@code expected}, for at most 20 seconds. */
    private static void awaitLog(LogCapture logs, String expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!logs.text().contains(expected) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertThat(logs.text()).contains(expected);
    }

    private ApiKeyRegistry registry(CsvStore store) {
        return ApiKeyRegistry.create(store.apiKeys(), store.accounts(), TierCatalog.standard(), clock, "live", new Random(9));
    }
}
