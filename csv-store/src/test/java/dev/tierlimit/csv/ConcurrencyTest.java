package dev.tierlimit.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierlimit.Account;
import dev.tierlimit.ApiKey;
import dev.tierlimit.ApiKeyFormat;
import dev.tierlimit.ApiKeyRegistry;
import dev.tierlimit.Authentication;
import dev.tierlimit.Granularity;
import dev.tierlimit.IssuedKey;
import dev.tierlimit.TierCatalog;
import dev.tierlimit.UsageHistory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final List<String> TIERS = List.of("free", "pro", "business", "enterprise");

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(T0);
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void sixteenWritersKeepEveryAccount() throws Exception {
        int writers = 16;
        int perWriter = 200;
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            runTogether(writers, writer -> {
                for (int i = 0; i < perWriter; i++) {
                    store.accounts().insert(new Account("acct_" + writer + "_" + i, writer + "." + i + "@example.com", "free", T0));
                }
                return null;
            });
            assertThat(store.accounts().count()).isEqualTo(writers * perWriter);
        }

        List<List<String>> records = CsvTestFiles.records(directory.resolve("users.csv"));
        List<String> header = List.of("id", "email", "created_at", "subscription_tier");
        assertThat(records.get(0)).isEqualTo(header);
        assertThat(records).filteredOn(header::equals).hasSize(1);
        assertThat(records).hasSize(1 + writers * perWriter);
        Set<String> expected = new HashSet<>();
        for (int writer = 0; writer < writers; writer++) {
            for (int i = 0; i < perWriter; i++) {
                expected.add("acct_" + writer + "_" + i);
            }
        }
        List<String> ids = records.subList(1, records.size()).stream().map(record -> record.get(0)).toList();
        assertThat(new HashSet<>(ids)).isEqualTo(expected);
        String text = new String(CsvTestFiles.bytes(directory.resolve("users.csv")), StandardCharsets.UTF_8);
        assertThat(text.lines().count()).isEqualTo(1 + writers * perWriter);
    }

    @Test
    void tierChangeDuringCreateKept() throws Exception {
        List<String> tiersSet = new ArrayList<>();
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            store.accounts().insert(new Account("acct_changing", "c@example.com", "free", T0));
            runTogether(2, thread -> {
                for (int i = 0; i < 150; i++) {
                    if (thread == 0) {
                        String tier = TIERS.get(1 + i % 3);
                        store.accounts().updateTier("acct_changing", tier);
                        tiersSet.add(tier);
                    } else {
                        store.accounts().insert(new Account("acct_new_" + i, i + "@example.com", "pro", T0));
                    }
                }
                return null;
            });
        }

        List<List<String>> records = CsvTestFiles.records(directory.resolve("users.csv"));
        assertThat(records).hasSize(1 + 1 + 150);
        assertThat(records.get(1)).containsExactly("acct_changing", "c@example.com", "2030-01-01T00:00:00Z",
                tiersSet.get(tiersSet.size() - 1));
        for (int i = 0; i < 150; i++) {
            assertThat(records.get(2 + i)).containsExactly("acct_new_" + i, i + "@example.com", "2030-01-01T00:00:00Z", "pro");
        }
    }

    @Test
    void keysAndUsageFromManyThreads() throws Exception {
        int workers = 8;
        int accountsPerWorker = 4;
        int keysPerAccount = 5;
        int requestsPerWorker = 400;
        AtomicLongArray costByWorker = new AtomicLongArray(workers);
        List<IssuedKey> issued = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean working = new AtomicBoolean(true);
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            ApiKeyRegistry registry = ApiKeyRegistry.create(store.apiKeys(), store.accounts(), TierCatalog.standard(), clock,
                    "live", new SecureRandom());
            UsageHistory history = new UsageHistory(store.usage(), clock);
            // Flushes race with the writers, the way the background flush would.
            Future<Integer> flusher = threads.submit(() -> {
                int flushes = 0;
                while (working.get()) {
                    store.flush();
                    flushes++;
                }
                return flushes;
            });
            runTogether(workers, worker -> {
                Random random = new Random(worker);
                List<IssuedKey> mine = new ArrayList<>();
                for (int a = 0; a < accountsPerWorker; a++) {
                    String accountId = "acct_" + worker + "_" + a;
                    store.accounts().insert(new Account(accountId, accountId + "@example.com", "enterprise", T0));
                    for (int k = 0; k < keysPerAccount; k++) {
                        mine.add(registry.issue(accountId, "key " + k, null));
                    }
                }
                for (int r = 0; r < requestsPerWorker; r++) {
                    IssuedKey key = mine.get(random.nextInt(mine.size()));
                    Authentication authentication = registry.authenticate(key.rawKey());
                    assertThat(authentication.status()).isEqualTo(Authentication.Status.AUTHENTICATED);
                    int cost = 1 + random.nextInt(4);
                    history.record(key.key().accountId(), key.key().id(), cost);
                    costByWorker.addAndGet(worker, cost);
                }
                issued.addAll(mine);
                return null;
            });
            working.set(false);
            assertThat(flusher.get(30, TimeUnit.SECONDS)).isPositive();
        }

        assertThat(CsvTestFiles.records(directory.resolve("users.csv"))).hasSize(1 + workers * accountsPerWorker);
        assertThat(CsvTestFiles.records(directory.resolve("api_keys.csv")))
                .hasSize(1 + workers * accountsPerWorker * keysPerAccount);
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            assertThat(store.accounts().count()).isEqualTo(workers * accountsPerWorker);
            assertThat(store.apiKeys().count()).isEqualTo(workers * accountsPerWorker * keysPerAccount);
            for (IssuedKey key : issued) {
                ApiKey stored = store.apiKeys().findByHash(ApiKeyFormat.sha256Hex(key.rawKey())).orElseThrow();
                assertThat(stored.id()).isEqualTo(key.key().id());
            }
            UsageHistory history = new UsageHistory(store.usage(), clock);
            for (int worker = 0; worker < workers; worker++) {
                long cost = 0;
                long requests = 0;
                for (int a = 0; a < accountsPerWorker; a++) {
                    var report = history.query("acct_" + worker + "_" + a, null, T0, T0.plus(Duration.ofHours(1)),
                            Granularity.HOUR);
                    cost += report.totalCost();
                    requests += report.totalRequests();
                }
                assertThat(requests).as("requests of worker %d", worker).isEqualTo(requestsPerWorker);
                assertThat(cost).as("cost of worker %d", worker).isEqualTo(costByWorker.get(worker));
            }
        }
    }

    /** A task of one of several threads; {@code index} numbers the threads from 0. */
    @FunctionalInterface
    private interface Task {
        Void run(int index) throws Exception;
    }

    /** Starts {@code count} threads at the same moment and waits for all, failing on the first exception. */
    private void runTogether(int count, Task task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Void>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            Callable<Void> callable = () -> {
                start.await();
                return task.run(index);
            };
            futures.add(threads.submit(callable));
        }
        start.countDown();
        for (Future<Void> future : futures) {
            future.get(60, TimeUnit.SECONDS);
        }
    }
}
