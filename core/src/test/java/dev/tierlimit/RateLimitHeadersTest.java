package dev.tierlimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {

    /** A multiple of every standard slot width (60 s, 1,440 s and 43,200 s). */
    private static final Instant T0 = Instant.ofEpochSecond(43_200L * 40_000);

    private final MutableClock clock = new MutableClock(T0);
    private final InMemorySlidingWindowLimiter limiter = InMemorySlidingWindowLimiter.builder().clock(clock).build();
    private final List<Limit> free = TierCatalog.standard().get("free").limits();

    @Test
    void firstRequest_hasNoRetryAfter() {
        RateLimitHeaders headers = RateLimitHeaders.of(limiter.tryAcquire("k", free));

        assertThat(headers.limit()).isEqualTo("60");
        assertThat(headers.remaining()).isEqualTo("59");
        assertThat(headers.used()).isEqualTo("1");
        assertThat(Long.parseLong(headers.reset())).isEqualTo(T0.getEpochSecond() + 3_660);
        assertThat(headers.rateLimit()).isEqualTo("\"hourly\";r=59;t=3660");
        assertThat(headers.rateLimitPolicy())
                .isEqualTo("\"hourly\";q=60;w=3600, \"daily\";q=1000;w=86400, \"monthly\";q=10000;w=2592000");
        assertThat(headers.asMap()).doesNotContainKey(RateLimitHeaders.RETRY_AFTER);
    }

    @Test
    void rejected_retryAfterRoundsUpToOne() {
        List<Limit> five = List.of(Limit.hourly(5));
        limiter.tryAcquire("k", five, 5);
        clock.set(T0.plusMillis(3_659_400));

        RateLimitHeaders headers = RateLimitHeaders.of(limiter.tryAcquire("k", five));

        assertThat(headers.retryAfterSeconds()).contains(1L);
        assertThat(headers.asMap()).containsEntry("Retry-After", "1");
        assertThat(headers.remaining()).isEqualTo("0");
        assertThat(headers.rateLimit()).isEqualTo("\"hourly\";r=0;t=1");
    }

    @Test
    void exhausted_sendsZerosExplicitly() {
        List<Limit> ten = List.of(Limit.hourly(10));
        for (int i = 0; i < 10; i++) {
            clock.set(T0.plusSeconds(i));
            limiter.tryAcquire("k", ten);
        }
        clock.set(T0.plusSeconds(10));

        RateLimitHeaders headers = RateLimitHeaders.of(limiter.tryAcquire("k", ten));

        assertThat(headers.asMap()).containsEntry("X-RateLimit-Remaining", "0")
                .containsEntry("X-RateLimit-Used", "10")
                .containsEntry("Retry-After", "3650");
    }

    @Test
    void costAboveMaximum_hasNoRetryAfter() {
        RateLimitHeaders headers = RateLimitHeaders.of(limiter.tryAcquire("k", List.of(Limit.hourly(5)), 6));

        assertThat(headers.retryAfterSeconds()).isEmpty();
        assertThat(headers.remaining()).isEqualTo("5");
        assertThat(headers.used()).isEqualTo("0");
        assertThat(headers.rateLimit()).isEqualTo("\"hourly\";r=5;t=0");
    }

    @Test
    void valuesNeverNegative() {
        Limit hourly = Limit.hourly(3);
        LimitStatus stale = new LimitStatus(hourly, 5, 0, T0.minusSeconds(30), false);
        Decision decision = new Decision(Decision.Outcome.ADMITTED, 1, T0, List.of(stale), 0, null);

        RateLimitHeaders headers = RateLimitHeaders.of(decision);

        assertThat(headers.rateLimit()).isEqualTo("\"hourly\";r=0;t=0");
        for (String value : headers.asMap().values()) {
            assertThat(value).doesNotContain("-");
        }
    }

    @Test
    void rejectedRetryMatchesDecision() {
        List<Limit> one = List.of(Limit.of("per-minute", Duration.ofMinutes(1), 1));
        limiter.tryAcquire("k", one);
        clock.advanceMillis(1);

        Decision rejected = limiter.tryAcquire("k", one);

        assertThat(RateLimitHeaders.of(rejected).retryAfterSeconds())
                .contains((rejected.retryAfter().orElseThrow().toMillis() + 999) / 1000);
    }
}
