package dev.tierlimit.redis;

import dev.tierlimit.MutableClock;
import dev.tierlimit.SlidingWindowLimiter;
import dev.tierlimit.SlidingWindowLimiterContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the limiter conformance suite, reference-model comparison included, on the Redis limiter with
 * the caller's clock. Every limiter the suite creates starts empty under a key prefix of its own.
 */
class RedisSlidingWindowLimiterTest extends SlidingWindowLimiterContract {

    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    @Override
    protected SlidingWindowLimiter newLimiter(int precision, MutableClock clock) {
        return redis.track(redis.borrowingBuilder().precision(precision).clock(clock));
    }

    /**
     * Runs half the suite's default number of random workloads: each costs about 1,500 Redis round
     * trips, and RedisMatchesInMemoryTest adds workloads of its own.
     */
    @Override
    protected int randomSeeds() {
        return 100;
    }
}
