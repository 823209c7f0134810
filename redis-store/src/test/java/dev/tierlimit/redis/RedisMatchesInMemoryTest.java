package dev.tierlimit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierlimit.Decision;
import dev.tierlimit.InMemorySlidingWindowLimiter;
import dev.tierlimit.Limit;
import dev.tierlimit.LimitStatus;
import dev.tierlimit.MutableClock;
import dev.tierlimit.SlidingWindowLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Feeds one random sequence of checks, usage reads, resets, tier changes and clock moves to the
 * in-memory limiter and to two Redis limiters that share one prefix. Clock moves go forward, backward
 * and onto retry times. Every decision and usage read must be equal field for field.
 */
class RedisMatchesInMemoryTest {

    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    private static final int STEPS = 400;
    private static final int[] PRECISIONS = {1, 2, 3, 5, 6, 12, 60};
    /** Window lengths that every precision above divides, each at least a minute, so that Redis expiry never fires during a run. */
    private static final Duration[] WINDOWS = {
        Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofHours(1), Duration.ofDays(1)};
    private static final String[] KEYS = {"account:acct_1", "account:acct_2", "key:key_9"};

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomCallsMatchInMemory(long seed) {
        Random random = new Random(seed);
        int precision = PRECISIONS[random.nextInt(PRECISIONS.length)];
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z").plusMillis(random.nextInt(600_000)));
        SlidingWindowLimiter expected = InMemorySlidingWindowLimiter.builder()
                .precision(precision).clock(clock).evictionInterval(Duration.ZERO).build();
        SlidingWindowLimiter[] actual = {
            redis.track(redis.builder().precision(precision).clock(clock)),
            redis.track(redis.builder().precision(precision).clock(clock))};
        List<List<Limit>> tiers = new ArrayList<>();
        for (int k = 0; k < KEYS.length; k++) {
            tiers.add(randomLimits(random));
        }

        Decision lastRejection = null;
        for (int step = 0; step < STEPS; step++) {
            int k = random.nextInt(KEYS.length);
            String key = KEYS[k];
            SlidingWindowLimiter redisLimiter = actual[random.nextInt(actual.length)];
            int operation = random.nextInt(100);
            String where = "seed " + seed + ", precision " + precision + ", step " + step + ", key " + key + ", at "
                    + clock.instant() + ", limits " + tiers.get(k);

            if (operation < 75) {
                long cost = randomCost(random, tiers.get(k));
                Decision want = expected.tryAcquire(key, tiers.get(k), cost);
                Decision got = redisLimiter.tryAcquire(key, tiers.get(k), cost);
                assertSameDecision(want, got, where + ", cost " + cost);
                if (want.outcome() == Decision.Outcome.REJECTED) {
                    lastRejection = want;
                }
            } else if (operation < 87) {
                assertThat(redisLimiter.usage(key, tiers.get(k))).as("usage at " + where)
                        .isEqualTo(expected.usage(key, tiers.get(k)));
            } else if (operation < 89) {
                expected.reset(key);
                redisLimiter.reset(key);
            } else if (operation < 93) {
                tiers.set(k, random.nextBoolean() ? randomLimits(random) : withOtherMaxima(random, tiers.get(k)));
            }
            moveClock(random, clock, lastRejection);
        }
    }

    private static void assertSameDecision(Decision want, Decision got, String where) {
        assertThat(got.outcome()).as("outcome at " + where).isEqualTo(want.outcome());
        assertThat(got.cost()).as("cost at " + where).isEqualTo(want.cost());
        assertThat(got.decidedAt()).as("decidedAt at " + where).isEqualTo(want.decidedAt());
        assertThat(got.limits()).as("limits at " + where).isEqualTo(want.limits());
        assertThat(bindingIndex(got)).as("binding limit at " + where).isEqualTo(bindingIndex(want));
        assertThat(got.retryAfter()).as("retryAfter at " + where).isEqualTo(want.retryAfter());
    }

    private static int bindingIndex(Decision decision) {
        List<LimitStatus> limits = decision.limits();
        for (int k = 0; k < limits.size(); k++) {
            if (limits.get(k) == decision.binding()) {
                return k;
            }
        }
        throw new AssertionError("binding status is not one of the decision's limits: " + decision);
    }

    /** Returns one to three limits with small maxima, sometimes two on one window length. */
    private static List<Limit> randomLimits(Random random) {
        int count = 1 + random.nextInt(3);
        List<Limit> limits = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Duration window = WINDOWS[random.nextInt(WINDOWS.length)];
            limits.add(Limit.of("limit-" + i, window, 1 + random.nextInt(12)));
        }
        return limits;
    }

    /** Returns the same windows with new maxima, as after an upgrade or a downgrade. */
    private static List<Limit> withOtherMaxima(Random random, List<Limit> limits) {
        List<Limit> changed = new ArrayList<>();
        for (Limit limit : limits) {
            changed.add(Limit.of(limit.name(), limit.window(), 1 + random.nextInt(12)));
        }
        return changed;
    }

    /** Returns mostly 1, sometimes a few, and sometimes more than the smallest maximum. */
    private static long randomCost(Random random, List<Limit> limits) {
        int choice = random.nextInt(20);
        if (choice < 14) {
            return 1;
        }
        if (choice < 19) {
            return 2 + random.nextInt(4);
        }
        long smallest = Long.MAX_VALUE;
        for (Limit limit : limits) {
            smallest = Math.min(smallest, limit.maximum());
        }
        return smallest + 1;
    }

    private static void moveClock(Random random, MutableClock clock, Decision lastRejection) {
        int choice = random.nextInt(100);
        if (choice < 40) {
            return;
        }
        if (choice < 70) {
            clock.advanceMillis(random.nextInt(5_000));
        } else if (choice < 82) {
            clock.advanceMillis(random.nextInt(7_200_000));
        } else if (choice < 85) {
            clock.advance(Duration.ofHours(1 + random.nextInt(60)));
        } else if (choice < 91) {
            clock.advanceMillis(-random.nextInt(600_000));
        } else if (lastRejection != null) {
            // Exactly at a known retry time, or one millisecond either side of it.
            long retryAt = lastRejection.retryAt().orElseThrow().toEpochMilli();
            clock.setMillis(retryAt - 1 + random.nextInt(3));
        }
    }
}
