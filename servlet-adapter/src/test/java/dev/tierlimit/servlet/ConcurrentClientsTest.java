package dev.tierlimit.servlet;

import static dev.tierlimit.servlet.TestApi.T0;
import static dev.tierlimit.servlet.TestApi.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierlimit.Granularity;
import dev.tierlimit.IssuedKey;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ConcurrentClientsTest {

    private static final int CLIENTS = 16;
    private static final int REQUESTS_PER_CLIENT = 20;

    @Test
    void concurrentClients_admitExactlyLimit() throws Exception {
        try (TestApi api = TestApi.start()) {
            // pro allows 100 per hour; the clock does not move, so nothing leaves the window meanwhile.
            IssuedKey first = api.newKey("pro");
            IssuedKey second = api.anotherKey(first);
            List<HttpResponse<String>> responses = sendConcurrently(api, first, second);

            List<HttpResponse<String>> admitted = responses.stream().filter(r -> r.statusCode() == 200)
                    .collect(Collectors.toList());
            long rejected = responses.stream().filter(r -> r.statusCode() == 429).count();
            List<Long> remaining = admitted.stream().map(r -> Long.parseLong(header(r, "X-RateLimit-Remaining")))
                    .sorted().collect(Collectors.toList());
            long recorded = api.services.usageHistory().query(first.key().accountId(), null, T0,
                    T0.plus(Duration.ofHours(1)), Granularity.HOUR).totalRequests();

            assertThat(responses).hasSize(CLIENTS * REQUESTS_PER_CLIENT);
            assertThat(admitted).hasSize(100);
            assertThat(rejected).isEqualTo(CLIENTS * REQUESTS_PER_CLIENT - 100);
            assertThat(remaining).containsExactlyElementsOf(LongStream.range(0, 100).boxed().collect(Collectors.toList()));
            assertThat(recorded).isEqualTo(100);
        }
    }

    /** Sends every request from its own client thread, all threads released at once, half of them with each key. */
    private static List<HttpResponse<String>> sendConcurrently(TestApi api, IssuedKey first, IssuedKey second)
            throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<HttpResponse<String>>>> futures = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                IssuedKey key = c % 2 == 0 ? first : second;
                futures.add(clients.submit(() -> {
                    start.await();
                    List<HttpResponse<String>> mine = new ArrayList<>();
                    for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                        mine.add(api.getWithKey("/api/v3/weather/current", key));
                    }
                    return mine;
                }));
            }
            start.countDown();
            List<HttpResponse<String>> all = new ArrayList<>();
            for (Future<List<HttpResponse<String>>> future : futures) {
                all.addAll(future.get(60, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            clients.shutdownNow();
        }
    }
}
