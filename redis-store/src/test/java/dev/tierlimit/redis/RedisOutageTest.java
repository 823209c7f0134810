package dev.tierlimit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierlimit.Decision;
import dev.tierlimit.Limit;
import dev.tierlimit.LimiterUnavailableException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Puts a proxy between the limiter and a real Redis to stall or cut the connection of a limiter that
 * was already working, and checks that calls fail within the timeout and work again afterwards.
 */
class RedisOutageTest {

    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    private static final Duration TIMEOUT = Duration.ofMillis(250);
    /** Far above the timeout, so that a loaded build machine does not fail the test. It only rules out a hang. */
    private static final Duration HANG_BOUND = TIMEOUT.multipliedBy(5);
    /** The maximum time a test waits for Lettuce to reconnect once the proxy is back. */
    private static final Duration RECONNECT_BOUND = Duration.ofSeconds(20);
    private static final List<Limit> LIMITS = List.of(Limit.hourly(10));
    private static final String KEY = "account:acct_1";

    private LoopbackProxy proxy;
    private RedisSlidingWindowLimiter limiter;

    @BeforeEach
    void startProxy() throws Exception {
        proxy = LoopbackProxy.start();
        limiter = redis.track(RedisSlidingWindowLimiter.builder().uri(proxy.uri()).keyPrefix(redis.prefix())
                .commandTimeout(TIMEOUT));
        assertThat(limiter.tryAcquire(KEY, LIMITS).admitted()).as("check before the outage").isTrue();
    }

    @AfterEach
    void stopProxy() throws Exception {
        proxy.close();
    }

    @Test
    void stalledRedis_timesOutThenRecovers() {
        proxy.stall();
        assertUnavailable(() -> limiter.tryAcquire(KEY, LIMITS), "timed out after 250 ms");

        proxy.resume();
        Decision after = limiter.tryAcquire(KEY, LIMITS);
        assertThat(after.admitted()).isTrue();
        // The stalled script reached Redis late and ran: a timed-out check may still have counted.
        assertThat(after.binding().used()).isEqualTo(3);
    }

    @Test
    void droppedConnection_failsFastThenReconnects() throws Exception {
        proxy.takeDown();
        assertUnavailable(() -> limiter.tryAcquire(KEY, LIMITS), "failed");
        assertUnavailable(() -> limiter.usage(KEY, LIMITS), "failed");

        proxy.bringBack();
        Decision after = awaitReconnect();
        assertThat(after.admitted()).isTrue();
        assertThat(after.binding().used()).as("the checks that failed counted nothing").isEqualTo(2);
    }

    /** Retries a check until Lettuce has reconnected. Each failed try returns at once or within the timeout. */
    private Decision awaitReconnect() throws InterruptedException {
        long deadline = System.nanoTime() + RECONNECT_BOUND.toNanos();
        while (true) {
            try {
                return limiter.tryAcquire(KEY, LIMITS);
            } catch (LimiterUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no reconnect within " + RECONNECT_BOUND, e);
                }
                Thread.sleep(20);
            }
        }
    }

    private static void assertUnavailable(Runnable call, String failure) {
        long start = System.nanoTime();
        assertThatThrownBy(call::run).isInstanceOf(LimiterUnavailableException.class)
                .hasMessageContaining("127.0.0.1:")
                .hasMessageContaining(failure);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(elapsed).as("time until the exception").isLessThan(HANG_BOUND);
    }
}
