package dev.tierlimit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierlimit.Limit;
import dev.tierlimit.LimiterUnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Covers a Redis that cannot be reached and the builder's checks. None of these tests needs a running Redis. */
class RedisUnreachableTest {

    private static final Duration TIMEOUT = Duration.ofMillis(250);
    /** Far above the timeout, so that a loaded build machine does not fail the test. It only rules out a hang. */
    private static final Duration HANG_BOUND = TIMEOUT.multipliedBy(5);
    private static final List<Limit> LIMITS = List.of(Limit.hourly(10));

    @Test
    void closedPort_throwsWithinTimeout() throws IOException {
        int port = closedLoopbackPort();

        try (RedisSlidingWindowLimiter limiter = limiterFor(port)) {
            assertUnavailable(() -> limiter.tryAcquire("account:acct_1", LIMITS), port, "connecting failed");
            assertUnavailable(() -> limiter.usage("account:acct_1", LIMITS), port, "connecting failed");
            assertUnavailable(() -> limiter.reset("account:acct_1"), port, "connecting failed");
            assertUnavailable(() -> limiter.tryConsume("account:acct_1", LIMITS, 1), port, "connecting failed");
        }
    }

    @Test
    void silentServer_timesOutWithinBound() throws IOException {
        // The kernel accepts connections into the backlog, but nothing ever reads or replies.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                RedisSlidingWindowLimiter limiter = limiterFor(silent.getLocalPort())) {
            int port = silent.getLocalPort();
            assertUnavailable(() -> limiter.tryAcquire("account:acct_1", LIMITS), port, "timed out after 250 ms");
            assertUnavailable(() -> limiter.tryAcquire("account:acct_1", LIMITS), port, "timed out after 250 ms");
        }
    }

    @Test
    void closedLimiter_rejectsCalls() throws IOException {
        RedisSlidingWindowLimiter limiter = limiterFor(closedLoopbackPort());
        limiter.close();
        limiter.close();

        assertThatIllegalStateException().isThrownBy(() -> limiter.tryAcquire("account:acct_1", LIMITS))
                .withMessageContaining("closed");
        assertThatIllegalStateException().isThrownBy(() -> limiter.reset("account:acct_1"))
                .withMessageContaining("closed");
    }

    @Test
    void invalidArguments_failBeforeRedis() throws IOException {
        try (RedisSlidingWindowLimiter limiter = limiterFor(closedLoopbackPort())) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> limiter.tryAcquire("account:acct_1", List.of(Limit.of("odd", Duration.ofMillis(1_001), 5))))
                    .withMessageContaining("1001");
            assertThatIllegalArgumentException().isThrownBy(() -> limiter.tryAcquire("account:acct_1", LIMITS, 0))
                    .withMessageContaining("cost");
        }
    }

    @Test
    void builder_rejectsInvalidSettings() {
        assertThatIllegalArgumentException().isThrownBy(() -> RedisSlidingWindowLimiter.builder().keyPrefix("a{b"))
                .withMessageContaining("a{b");
        assertThatIllegalArgumentException().isThrownBy(() -> RedisSlidingWindowLimiter.builder().precision(0))
                .withMessageContaining("0");
        assertThatIllegalArgumentException().isThrownBy(() -> RedisSlidingWindowLimiter.builder().precision(10_001))
                .withMessageContaining("10001");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RedisSlidingWindowLimiter.builder().commandTimeout(Duration.ZERO))
                .withMessageContaining("PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> RedisSlidingWindowLimiter.builder().uri("http://x:1"))
                .withMessageContaining("http://x:1");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RedisSlidingWindowLimiter.builder().uri("http://user:s3cret@x:1"))
                .withMessageContaining("http://***@x:1")
                .withMessageNotContaining("s3cret");
        assertThatIllegalStateException().isThrownBy(() -> RedisSlidingWindowLimiter.builder().build())
                .withMessageContaining("uri(");
    }

    @Test
    void builder_defaultsMatchDocumentation() throws IOException {
        try (RedisSlidingWindowLimiter limiter = limiterFor(closedLoopbackPort())) {
            assertThat(limiter.precision()).isEqualTo(60);
            assertThat(limiter.keyPrefix()).isEqualTo("tierlimit:");
            assertThat(limiter.hashName("account:acct_1")).isEqualTo("tierlimit:{account:acct_1}");
            assertThat(limiter.toString()).contains("127.0.0.1:").contains("time=server");
        }
    }

    private static RedisSlidingWindowLimiter limiterFor(int port) {
        return RedisSlidingWindowLimiter.builder().uri("redis://127.0.0.1:" + port).commandTimeout(TIMEOUT).build();
    }

    /** Returns a loopback port that was just bound and closed, so connecting to it is refused. */
    private static int closedLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void assertUnavailable(Executable call, int port, String failure) {
        long start = System.nanoTime();
        assertThatThrownBy(call::execute).isInstanceOf(LimiterUnavailableException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining(failure);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(elapsed).as("time until the exception").isLessThan(HANG_BOUND);
    }
}
