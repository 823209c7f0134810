package dev.tierlimit.benchmarks;

import com.google.common.util.concurrent.RateLimiter;
import dev.tierlimit.Decision;
import dev.tierlimit.InMemorySlidingWindowLimiter;
import dev.tierlimit.Limit;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.local.LocalBucketBuilder;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The contenders, as the benchmarks take them as a parameter. JMH runs every constant unless a
 * {@code -p contender=...} option names some. The type is public only because JMH's generated code
 * sets the parameter; nothing outside this package creates contenders.
 *
 * <p>Every peer keeps one limiter object per key in a {@link ConcurrentHashMap}, looked up with
 * {@code get} and created with {@code computeIfAbsent} only when missing, which is how the in-memory
 * tierlimit limiter finds its per-key state too. Each peer runs with its library's defaults except
 * for the limits: Bucket4j reads the millisecond system clock and updates buckets lock-free, while
 * Resilience4j and Guava read {@link System#nanoTime()}.
 */
public enum ContenderType {

    /** tierlimit's {@code tryConsume}: admitted or not, allocating nothing once the key is tracked. */
    TIERLIMIT {
        @Override
        Contender create(List<Limit> limits, int precision, InstantSource clock) {
            return new TierlimitConsume(name(), tierlimit(precision, clock), limits);
        }
    },
    /** tierlimit's {@code tryAcquire}: a full {@link Decision} with every limit's status and, when rejected, the retry time. */
    TIERLIMIT_DECISION {
        @Override
        Contender create(List<Limit> limits, int precision, InstantSource clock) {
            return new TierlimitDecision(name(), tierlimit(precision, clock), limits);
        }
    },
    /** Bucket4j's {@code tryConsume}: one bandwidth per limit, returning a boolean. */
    BUCKET4J {
        @Override
        Contender create(List<Limit> limits, int precision, InstantSource clock) {
            return new Bucket4jConsume(name(), limits);
        }
    },
    /** Bucket4j's {@code tryConsumeAndReturnRemaining}: the same bucket, returning a {@link ConsumptionProbe}. */
    BUCKET4J_PROBE {
        @Override
        Contender create(List<Limit> limits, int precision, InstantSource clock) {
            return new Bucket4jProbe(name(), limits);
        }
    },
    /** Resilience4j's {@code AtomicRateLimiter}, which enforces one limit: the tightest. */
    RESILIENCE4J {
        @Override
        Contender create(List<Limit> limits, int precision, InstantSource clock) {
            return new Resilience4jContender(name(), Limits.tightest(limits));
        }
    },
    /** Guava's {@code RateLimiter}, which enforces one rate: the tightest limit's maximum per window. */
    GUAVA {
        @Override
        Contender create(List<Limit> limits, int precision, InstantSource clock) {
            return new GuavaContender(name(), Limits.tightest(limits));
        }
    },
    /** The naive exact {@link SlidingLog}. */
    SLIDING_LOG {
        @Override
        Contender create(List<Limit> limits, int precision, InstantSource clock) {
            return new SlidingLogContender(name(), new SlidingLog(limits, clock));
        }
    };

    /**
     * Creates this contender.
     *
     * @param precision slots per window, used by tierlimit only
     * @param clock the time source of tierlimit and the sliding log; the peers read their own clocks
     */
    abstract Contender create(List<Limit> limits, int precision, InstantSource clock);

    /** Creates this contender reading the system clock, with tierlimit at its default precision. */
    Contender create(List<Limit> limits) {
        return create(limits, InMemorySlidingWindowLimiter.DEFAULT_PRECISION, InstantSource.system());
    }

    private static InMemorySlidingWindowLimiter tierlimit(int precision, InstantSource clock) {
        return InMemorySlidingWindowLimiter.builder().precision(precision).clock(clock).build();
    }

    /** One limiter object per key, created on the key's first request. */
    private static final class PerKey<T> {
        private final ConcurrentHashMap<String, T> byKey = new ConcurrentHashMap<>();
        private final Function<String, T> factory;

        PerKey(Function<String, T> factory) {
            this.factory = factory;
        }

        T get(String key) {
            T value = byKey.get(key);
            return value != null ? value : byKey.computeIfAbsent(key, factory);
        }
    }

    private static final class TierlimitConsume extends Contender {
        private final InMemorySlidingWindowLimiter limiter;
        private final List<Limit> limits;

        TierlimitConsume(String name, InMemorySlidingWindowLimiter limiter, List<Limit> limits) {
            super(name);
            this.limiter = limiter;
            this.limits = limits;
        }

        @Override
        Object check(String key) {
            return limiter.tryConsume(key, limits, 1);
        }

        @Override
        boolean admitted(Object result) {
            return (Boolean) result;
        }
    }

    private static final class TierlimitDecision extends Contender {
        private final InMemorySlidingWindowLimiter limiter;
        private final List<Limit> limits;

        TierlimitDecision(String name, InMemorySlidingWindowLimiter limiter, List<Limit> limits) {
            super(name);
            this.limiter = limiter;
            this.limits = limits;
        }

        @Override
        Object check(String key) {
            return limiter.tryAcquire(key, limits, 1);
        }

        @Override
        boolean admitted(Object result) {
            return ((Decision) result).admitted();
        }
    }

    private static Bucket bucket(List<Limit> limits) {
        LocalBucketBuilder builder = Bucket.builder();
        for (Limit limit : limits) {
            builder.addLimit(bandwidth -> bandwidth.capacity(limit.maximum()).refillGreedy(limit.maximum(), limit.window()));
        }
        return builder.build();
    }

    private static final class Bucket4jConsume extends Contender {
        private final PerKey<Bucket> buckets;

        Bucket4jConsume(String name, List<Limit> limits) {
            super(name);
            this.buckets = new PerKey<>(key -> bucket(limits));
        }

        @Override
        Object check(String key) {
            return buckets.get(key).tryConsume(1);
        }

        @Override
        boolean admitted(Object result) {
            return (Boolean) result;
        }
    }

    private static final class Bucket4jProbe extends Contender {
        private final PerKey<Bucket> buckets;

        Bucket4jProbe(String name, List<Limit> limits) {
            super(name);
            this.buckets = new PerKey<>(key -> bucket(limits));
        }

        @Override
        Object check(String key) {
            return buckets.get(key).tryConsumeAndReturnRemaining(1);
        }

        @Override
        boolean admitted(Object result) {
            return ((ConsumptionProbe) result).isConsumed();
        }
    }

    private static final class Resilience4jContender extends Contender {
        private final PerKey<AtomicRateLimiter> limiters;

        Resilience4jContender(String name, Limit limit) {
            super(name);
            // limitForPeriod is an int, so an unreachable maximum is cut to the largest int. A run
            // that used that up would fail the benchmarks' check that every request is admitted.
            RateLimiterConfig config = RateLimiterConfig.custom()
                    .limitForPeriod((int) Math.min(limit.maximum(), Integer.MAX_VALUE))
                    .limitRefreshPeriod(limit.window())
                    .timeoutDuration(Duration.ZERO)
                    .build();
            this.limiters = new PerKey<>(key -> new AtomicRateLimiter(key, config));
        }

        @Override
        Object check(String key) {
            return limiters.get(key).acquirePermission();
        }

        @Override
        boolean admitted(Object result) {
            return (Boolean) result;
        }
    }

    private static final class GuavaContender extends Contender {
        private final PerKey<RateLimiter> limiters;

        GuavaContender(String name, Limit limit) {
            super(name);
            double permitsPerSecond = limit.maximum() * 1000.0 / limit.windowMillis();
            this.limiters = new PerKey<>(key -> RateLimiter.create(permitsPerSecond));
        }

        @Override
        Object check(String key) {
            return limiters.get(key).tryAcquire();
        }

        @Override
        boolean admitted(Object result) {
            return (Boolean) result;
        }
    }

    private static final class SlidingLogContender extends Contender {
        private final SlidingLog log;

        SlidingLogContender(String name, SlidingLog log) {
            super(name);
            this.log = log;
        }

        @Override
        Object check(String key) {
            return log.tryConsume(key);
        }

        @Override
        boolean admitted(Object result) {
            return (Boolean) result;
        }

        @Override
        void clearUnboundedHistory() {
            log.clearLogs();
        }
    }
}
