package dev.tierlimit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierlimit.Decision;
import dev.tierlimit.Limit;
import dev.tierlimit.LimitStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three limiter instances, each with its own Redis client and connection and Redis server time, as
 * three service instances behind a load balancer would run, hammer one account from several threads.
 */
class RedisMultiInstanceTest {

    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    private static final int INSTANCES = 3;
    private static final int THREADS_PER_INSTANCE = 4;
    private static final int REQUESTS_PER_THREAD = 150;
    private static final List<Limit> TIER = List.of(Limit.hourly(500), Limit.daily(1_000));
    private static final String ACCOUNT = "account:acct_shared";

    @Test
    void instances_admitExactlyTheMaximum() throws Exception {
        List<RedisSlidingWindowLimiter> instances = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            instances.add(redis.track(redis.builder()));
        }
        Queue<Long> remainingReported = new ConcurrentLinkedQueue<>();
        AtomicInteger rejected = new AtomicInteger();

        ExecutorService pool = Executors.newFixedThreadPool(INSTANCES * THREADS_PER_INSTANCE);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < INSTANCES * THREADS_PER_INSTANCE; t++) {
                RedisSlidingWindowLimiter limiter = instances.get(t % INSTANCES);
                tasks.add(pool.submit(() -> {
                    for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
                        Decision decision = limiter.tryAcquire(ACCOUNT, TIER);
                        if (decision.admitted()) {
                            remainingReported.add(decision.limits().get(0).remaining());
                        } else {
                            rejected.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> task : tasks) {
                task.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }

        int sent = INSTANCES * THREADS_PER_INSTANCE * REQUESTS_PER_THREAD;
        assertThat(remainingReported).as("admitted requests").hasSize(500);
        assertThat(rejected.get()).isEqualTo(sent - 500);
        List<Long> sorted = new ArrayList<>(remainingReported);
        Collections.sort(sorted);
        assertThat(sorted).as("hourly remaining reported to the admitted requests, each once")
                .isEqualTo(LongStream.range(0, 500).boxed().toList());
        for (RedisSlidingWindowLimiter instance : instances) {
            assertThat(instance.usage(ACCOUNT, TIER)).extracting(LimitStatus::used).containsExactly(500L, 500L);
        }
    }

    @Test
    void instances_shareRejectionsAndRetryTime() {
        RedisSlidingWindowLimiter first = redis.track(redis.builder());
        RedisSlidingWindowLimiter second = redis.track(redis.builder());
        List<Limit> limits = List.of(Limit.hourly(1));

        Decision admitted = first.tryAcquire(ACCOUNT, limits);
        Decision rejected = second.tryAcquire(ACCOUNT, limits);

        assertThat(admitted.admitted()).isTrue();
        assertThat(rejected.outcome()).isEqualTo(Decision.Outcome.REJECTED);
        assertThat(rejected.retryAt()).contains(admitted.binding().resetAt());
        assertThat(rejected.retryAfter().orElseThrow()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(3_660));
    }
}
