package dev.tierlimit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierlimit.Decision;
import dev.tierlimit.Limit;
import dev.tierlimit.LimitStatus;
import dev.tierlimit.MutableClock;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Checks what the Redis limiter stores: key names, expiry, bounded per-key state, script cache and time source. */
class RedisStorageTest {

    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    private static final String KEY = "account:acct_1";
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(START);

    @Test
    void hashName_carriesPrefixAndHashTag() {
        RedisSlidingWindowLimiter limiter = redis.track(redis.builder().clock(clock));

        limiter.tryAcquire(KEY, List.of(Limit.hourly(5)));

        String expected = redis.prefix() + "{account:acct_1}";
        assertThat(limiter.hashName(KEY)).isEqualTo(expected);
        assertThat(redis.keysUnderPrefix()).containsExactly(expected);
        assertThat(redis.admin().type(expected)).isEqualTo("hash");
        assertThat(SlotHash.getSlot(expected)).as("cluster slot of the hash tag")
                .isEqualTo(SlotHash.getSlot(KEY))
                .isEqualTo(SlotHash.getSlot("other-prefix:{account:acct_1}"));
    }

    @Test
    void expiry_isLongestWindowPlusSlot() {
        RedisSlidingWindowLimiter limiter = redis.track(redis.builder().clock(clock));
        long daily = Duration.ofDays(1).toMillis();
        long dailyAndSlot = daily + daily / 60;

        limiter.tryAcquire(KEY, List.of(Limit.hourly(5), Limit.daily(50)));
        long ttl = redis.admin().pttl(limiter.hashName(KEY));
        assertThat(ttl).isPositive().isLessThanOrEqualTo(dailyAndSlot);
        assertThat(ttl).as("longer than the daily window alone").isGreaterThan(daily);

        // A later check that names only the hourly window must not cut the daily counts short.
        limiter.tryAcquire(KEY, List.of(Limit.hourly(5)));
        assertThat(redis.admin().pttl(limiter.hashName(KEY))).isGreaterThan(daily);
    }

    @Test
    void expiry_setOnRejectedCheck() {
        RedisSlidingWindowLimiter limiter = redis.track(redis.builder().clock(clock));
        List<Limit> limits = List.of(Limit.hourly(1));
        limiter.tryAcquire(KEY, limits);
        redis.admin().persist(limiter.hashName(KEY));

        assertThat(limiter.tryAcquire(KEY, limits).outcome()).isEqualTo(Decision.Outcome.REJECTED);

        assertThat(redis.admin().pttl(limiter.hashName(KEY))).isPositive().isLessThanOrEqualTo(3_660_000);
    }

    @Test
    void state_staysBoundedBySlots() {
        int precision = 6;
        RedisSlidingWindowLimiter limiter = redis.track(redis.builder().precision(precision).clock(clock));
        List<Limit> limits = List.of(Limit.of("minute", Duration.ofMinutes(1), 1_000), Limit.hourly(1_000));
        // The key's time, and per window its head, sum and oldest fields plus at most precision + 1 slots.
        int bound = 1 + 2 * (3 + precision + 1);

        for (int step = 0; step < 200; step++) {
            limiter.tryAcquire(KEY, limits);
            clock.advance(Duration.ofSeconds(7));
            assertThat(redis.admin().hlen(limiter.hashName(KEY))).as("fields after step %d", step)
                    .isLessThanOrEqualTo(bound);
        }

        clock.advance(Duration.ofHours(2));
        limiter.tryAcquire(KEY, limits);
        Map<String, String> fields = redis.admin().hgetall(limiter.hashName(KEY));
        assertThat(fields).as("one slot per window after both windows emptied").hasSize(1 + 2 * 4);
        assertThat(fields).containsEntry("60000:sum", "1").containsEntry("3600000:sum", "1");
    }

    @Test
    void usage_ofUnknownKeyStoresNothing() {
        RedisSlidingWindowLimiter limiter = redis.track(redis.builder().clock(clock));

        List<LimitStatus> statuses = limiter.usage(KEY, List.of(Limit.hourly(5)));

        assertThat(statuses.get(0).used()).isZero();
        assertThat(redis.keysUnderPrefix()).isEmpty();
    }

    @Test
    void reset_deletesTheHash() {
        RedisSlidingWindowLimiter limiter = redis.track(redis.builder().clock(clock));
        limiter.tryAcquire(KEY, List.of(Limit.hourly(5)));

        limiter.reset(KEY);

        assertThat(redis.keysUnderPrefix()).isEmpty();
    }

    @Test
    void scriptFlush_reloadsScript() {
        RedisSlidingWindowLimiter limiter = redis.track(redis.builder().clock(clock));
        List<Limit> limits = List.of(Limit.hourly(5));
        limiter.tryAcquire(KEY, limits);

        redis.admin().scriptFlush();
        assertThat(redis.admin().scriptExists(limiter.scriptSha())).containsExactly(false);
        Decision afterFlush = limiter.tryAcquire(KEY, limits);

        assertThat(afterFlush.admitted()).isTrue();
        assertThat(afterFlush.binding().used()).isEqualTo(2);
        assertThat(redis.admin().scriptExists(limiter.scriptSha())).containsExactly(true);
    }

    @Test
    void serverTime_datesDecisionsByRedisClock() {
        RedisSlidingWindowLimiter first = redis.track(redis.builder());
        RedisSlidingWindowLimiter second = redis.track(redis.builder());
        List<Limit> limits = List.of(Limit.hourly(5));

        long before = redisTimeMillis();
        Decision decision = first.tryAcquire(KEY, limits);
        long after = redisTimeMillis();

        assertThat(decision.decidedAt().toEpochMilli()).isBetween(before, after);
        assertThat(decision.binding().resetAt()).isAfter(decision.decidedAt());
        assertThat(second.usage(KEY, limits).get(0).used()).as("read by another instance").isEqualTo(1);
        assertThat(second.tryAcquire(KEY, limits).binding().used()).isEqualTo(2);
    }

    @Test
    void callerClock_sharedThroughOnePrefix() {
        RedisSlidingWindowLimiter first = redis.track(redis.builder().clock(clock));
        RedisSlidingWindowLimiter second = redis.track(redis.builder().clock(clock));
        RedisSlidingWindowLimiter otherPrefix = redis.track(redis.builder().clock(clock)
                .keyPrefix(redis.prefix() + "other:"));
        List<Limit> limits = List.of(Limit.hourly(2));

        assertThat(first.tryAcquire(KEY, limits).admitted()).isTrue();
        assertThat(second.tryAcquire(KEY, limits).admitted()).isTrue();

        assertThat(first.tryAcquire(KEY, limits).outcome()).isEqualTo(Decision.Outcome.REJECTED);
        assertThat(otherPrefix.tryAcquire(KEY, limits).admitted()).as("another prefix is another limiter").isTrue();
    }

    private static long redisTimeMillis() {
        List<String> time = redis.admin().time();
        return Long.parseLong(time.get(0)) * 1_000 + Long.parseLong(time.get(1)) / 1_000;
    }
}
