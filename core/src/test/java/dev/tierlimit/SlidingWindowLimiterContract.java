package dev.tierlimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link SlidingWindowLimiter} must show. An implementation's test extends this
 * class and supplies {@link #newLimiter}; the suite ships in the core test-jar for that purpose.
 *
 * <p>Time moves only through the {@link MutableClock} given to the factory. Named tests start at
 * {@link #START}, midnight UTC, which is a multiple of every slot width at the default precision of
 * 60: 60 s for an hour, 1,440 s for a day and 43,200 s for 30 days. A request admitted in slot
 * {@code j} is released at the start of slot {@code j + 61}.
 */
public abstract class SlidingWindowLimiterContract {

    /** Midnight UTC, a multiple of every slot width at precision 60. */
    protected static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private static final String KEY = "k";

    /** The clock of {@link #limiter}; tests move it by hand. */
    protected MutableClock clock;
    /** A limiter of precision 60 on {@link #clock}, new for each test. */
    protected SlidingWindowLimiter limiter;

    /**
     * Creates an empty limiter with {@code precision} slots per window that reads time only from
     * {@code clock}. Automatic cleanup that drops a key's latest time, such as eviction of idle
     * keys, must be off, because the reference model keeps that time until reset.
     */
    protected abstract SlidingWindowLimiter newLimiter(int precision, MutableClock clock);

    /** Returns the number of random workloads to compare with the reference model. */
    protected int randomSeeds() {
        return 200;
    }

    /** Returns the number of steps in each random workload. */
    protected int operationsPerSeed() {
        return 500;
    }

    @BeforeEach
    void createLimiter() {
        clock = new MutableClock(START);
        limiter = newLimiter(60, clock);
    }

    // ---- Regression cases with fixed numbers ----

    @Test
    void tryAcquire_remainingCountsDownToZero() {
        List<Limit> limits = List.of(Limit.hourly(10));

        for (int t = 0; t < 10; t++) {
            atSeconds(t);
            Decision decision = limiter.tryAcquire(KEY, limits);
            assertThat(decision.outcome()).as("request at %d s", t).isEqualTo(Decision.Outcome.ADMITTED);
            assertThat(decision.binding().remaining()).as("remaining at %d s", t).isEqualTo(9 - t);
        }

        atSeconds(10);
        Decision eleventh = limiter.tryAcquire(KEY, limits);
        assertThat(eleventh.outcome()).isEqualTo(Decision.Outcome.REJECTED);
        assertThat(eleventh.binding().remaining()).isZero();
        assertThat(eleventh.retryAfter()).contains(Duration.ofSeconds(3_650));
        assertThat(eleventh.retryAt()).contains(START.plusSeconds(3_660));
    }

    @Test
    void tryAcquire_retryAfterIsPositiveNearRelease() {
        List<Limit> limits = List.of(Limit.hourly(5));
        acquireAll(limits, 5);

        atMillis(3_659_400);
        Decision sixth = limiter.tryAcquire(KEY, limits);
        assertThat(sixth.outcome()).isEqualTo(Decision.Outcome.REJECTED);
        Duration retryAfter = sixth.retryAfter().orElseThrow();
        assertThat(retryAfter).isEqualTo(Duration.ofMillis(600));
        assertThat(wholeSecondsRoundedUp(retryAfter)).as("Retry-After header value").isEqualTo(1);

        atMillis(3_659_999);
        assertThat(limiter.tryAcquire(KEY, limits).outcome()).isEqualTo(Decision.Outcome.REJECTED);
        atMillis(3_660_000);
        assertThat(limiter.tryAcquire(KEY, limits).outcome()).isEqualTo(Decision.Outcome.ADMITTED);
    }

    @Test
    void tryAcquire_freshKeyResetsInFuture() {
        Decision first = limiter.tryAcquire("fresh", List.of(Limit.hourly(5)));

        assertThat(first.outcome()).isEqualTo(Decision.Outcome.ADMITTED);
        assertThat(first.retryAfter()).isEmpty();
        assertThat(first.binding().resetAt()).isAfter(first.decidedAt());
        assertThat(first.binding().resetAt()).isEqualTo(START.plusSeconds(3_660));
    }

    @Test
    void tryAcquire_rejectedRequestsCountNothing() {
        List<Limit> limits = List.of(Limit.hourly(10));
        acquireAll(limits, 10);

        rejectEachSecond(limits, 10, 15);

        atSeconds(3_660);
        Decision later = limiter.tryAcquire(KEY, limits);
        assertThat(later.outcome()).isEqualTo(Decision.Outcome.ADMITTED);
        assertThat(later.binding().remaining()).isEqualTo(9);
    }

    /** Rejections in a later slot than the admissions would still count after those are released. */
    @Test
    void tryAcquire_laterRejectionsCountNothing() {
        List<Limit> limits = List.of(Limit.hourly(10));
        acquireAll(limits, 10);

        rejectEachSecond(limits, 70, 75);

        atSeconds(3_660);
        assertThat(limiter.usage(KEY, limits).get(0).used()).isZero();
        Decision later = limiter.tryAcquire(KEY, limits);
        assertThat(later.binding().used()).isEqualTo(1);
        assertThat(later.binding().remaining()).isEqualTo(9);
    }

    @Test
    void tryAcquire_concurrentKeysAdmitExactlyMaximum() {
        List<Limit> limits = List.of(Limit.hourly(100));
        Queue<Long> remainingK = new ConcurrentLinkedQueue<>();
        Queue<Long> remainingK2 = new ConcurrentLinkedQueue<>();
        AtomicLong otherOutcomes = new AtomicLong();

        runConcurrently(64, thread -> {
            String key = thread % 2 == 0 ? "K" : "K2";
            Queue<Long> remaining = thread % 2 == 0 ? remainingK : remainingK2;
            for (int i = 0; i < 1_000; i++) {
                Decision decision = limiter.tryAcquire(key, limits);
                if (decision.admitted()) {
                    remaining.add(decision.binding().remaining());
                } else if (decision.outcome() != Decision.Outcome.REJECTED || decision.binding().remaining() != 0) {
                    otherOutcomes.incrementAndGet();
                }
            }
        });

        List<Long> expected = LongStream.range(0, 100).boxed().toList();
        assertThat(sorted(remainingK)).as("remaining values reported for K").isEqualTo(expected);
        assertThat(sorted(remainingK2)).as("remaining values reported for K2").isEqualTo(expected);
        assertThat(otherOutcomes.get()).as("rejections not of the form REJECTED with remaining 0").isZero();
        assertThat(limiter.usage("K", limits).get(0).used()).isEqualTo(100);
        assertThat(limiter.usage("K2", limits).get(0).used()).isEqualTo(100);
    }

    @Test
    void tryAcquire_clockStepBackReleasesNothing() {
        List<Limit> limits = List.of(Limit.hourly(5));
        Instant noon = START.plus(Duration.ofHours(12));
        clock.set(noon);
        acquireAll(limits, 2);

        clock.set(noon.minus(Duration.ofHours(1)));
        for (int i = 0; i < 3; i++) {
            Decision decision = limiter.tryAcquire(KEY, limits);
            assertThat(decision.outcome()).isEqualTo(Decision.Outcome.ADMITTED);
            assertThat(decision.decidedAt()).as("the key keeps its latest time").isEqualTo(noon);
        }
        Decision sixth = limiter.tryAcquire(KEY, limits);
        assertThat(sixth.outcome()).isEqualTo(Decision.Outcome.REJECTED);
        assertThat(sixth.retryAfter().orElseThrow()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(3_660));
        assertThat(sixth.retryAt()).contains(noon.plusSeconds(3_660));

        clock.set(noon.minus(Duration.ofHours(1)).plusSeconds(3_660));
        assertThat(limiter.tryAcquire(KEY, limits).outcome()).as("3,660 s after the step back")
                .isEqualTo(Decision.Outcome.REJECTED);
        clock.set(noon.plusSeconds(3_660).minusMillis(1));
        assertThat(limiter.tryAcquire(KEY, limits).outcome()).isEqualTo(Decision.Outcome.REJECTED);
        clock.set(noon.plusSeconds(3_660));
        assertThat(limiter.tryAcquire(KEY, limits).outcome()).isEqualTo(Decision.Outcome.ADMITTED);
    }

    @Test
    void tryAcquire_costAboveMaximumChangesNothing() {
        List<Limit> limits = List.of(Limit.hourly(5));

        Decision tooLarge = limiter.tryAcquire(KEY, limits, 6);
        assertThat(tooLarge.outcome()).isEqualTo(Decision.Outcome.COST_EXCEEDS_MAXIMUM);
        assertThat(tooLarge.retryAfter()).isEmpty();
        assertThat(tooLarge.retryAt()).isEmpty();
        assertThat(tooLarge.binding().violated()).isTrue();
        assertThat(tooLarge.binding().used()).isZero();
        assertThat(tooLarge.binding().remaining()).isEqualTo(5);
        assertThat(limiter.usage(KEY, limits).get(0).used()).isZero();

        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire(KEY, limits).outcome()).as("request %d of cost 1", i + 1)
                    .isEqualTo(Decision.Outcome.ADMITTED);
        }
        assertThat(limiter.tryAcquire(KEY, limits).outcome()).isEqualTo(Decision.Outcome.REJECTED);
    }

    // ---- Windows, slots and maxima ----

    @Test
    void tryAcquire_releasesExactlyAtSlotEnd() {
        List<Limit> limits = List.of(Limit.hourly(1));
        atMillis(59_999);
        Decision lastMillisecondOfSlot = limiter.tryAcquire(KEY, limits);
        assertThat(lastMillisecondOfSlot.binding().resetAt()).isEqualTo(START.plusSeconds(3_660));

        atMillis(3_659_999);
        Decision justBefore = limiter.tryAcquire(KEY, limits);
        assertThat(justBefore.outcome()).isEqualTo(Decision.Outcome.REJECTED);
        assertThat(justBefore.retryAfter()).contains(Duration.ofMillis(1));

        atMillis(3_660_000);
        Decision atSlotEnd = limiter.tryAcquire(KEY, limits);
        assertThat(atSlotEnd.outcome()).isEqualTo(Decision.Outcome.ADMITTED);
        assertThat(atSlotEnd.binding().resetAt()).as("admitted at the first millisecond of slot 61")
                .isEqualTo(START.plusSeconds(61 * 60 + 3_660));
    }

    @Test
    void tryAcquire_countsWholeSlotsBeforeCurrent() {
        List<Limit> limits = List.of(Limit.hourly(2));
        atSeconds(0);
        limiter.tryAcquire(KEY, limits);
        atMillis(3_599_999);
        limiter.tryAcquire(KEY, limits);

        atMillis(3_659_999);
        Decision stillCounted = limiter.tryAcquire(KEY, limits);
        assertThat(stillCounted.outcome()).isEqualTo(Decision.Outcome.REJECTED);
        assertThat(stillCounted.binding().used()).isEqualTo(2);

        atMillis(3_660_000);
        Decision firstReleased = limiter.tryAcquire(KEY, limits);
        assertThat(firstReleased.outcome()).isEqualTo(Decision.Outcome.ADMITTED);
        assertThat(firstReleased.binding().used()).isEqualTo(2);
        assertThat(firstReleased.binding().resetAt()).as("slot 59 leaves at the start of slot 120")
                .isEqualTo(START.plusSeconds(120 * 60));
    }

    @Test
    void tryAcquire_maximumOneAdmitsOnce() {
        List<Limit> limits = List.of(Limit.hourly(1));

        Decision first = limiter.tryAcquire(KEY, limits);
        assertThat(first.outcome()).isEqualTo(Decision.Outcome.ADMITTED);
        assertThat(first.binding().remaining()).isZero();

        atSeconds(30);
        Decision second = limiter.tryAcquire(KEY, limits);
        assertThat(second.outcome()).isEqualTo(Decision.Outcome.REJECTED);
        assertThat(second.retryAt()).contains(START.plusSeconds(3_660));
        assertThat(limiter.tryAcquire(KEY, limits, 2).outcome()).isEqualTo(Decision.Outcome.COST_EXCEEDS_MAXIMUM);
    }

    @Test
    void tryAcquire_largeMaximumCountsExactly() {
        List<Limit> limits = List.of(Limit.monthly(5_000_000));

        assertThat(limiter.tryAcquire(KEY, limits, 4_999_999).binding().remaining()).isEqualTo(1);
        Decision tooMuch = limiter.tryAcquire(KEY, limits, 2);
        assertThat(tooMuch.outcome()).isEqualTo(Decision.Outcome.REJECTED);
        assertThat(tooMuch.retryAt()).contains(START.plus(Duration.ofDays(30).plusHours(12)));

        Decision last = limiter.tryAcquire(KEY, limits, 1);
        assertThat(last.outcome()).isEqualTo(Decision.Outcome.ADMITTED);
        assertThat(last.binding().used()).isEqualTo(5_000_000);
        assertThat(last.binding().remaining()).isZero();
        assertThat(limiter.tryAcquire(KEY, limits, 1).outcome()).isEqualTo(Decision.Outcome.REJECTED);
    }

    @Test
    void tryAcquire_longMaxValueDoesNotOverflow() {
        List<Limit> limits = List.of(Limit.of("huge", Duration.ofHours(1), Long.MAX_VALUE));

        Decision nearlyAll = limiter.tryAcquire(KEY, limits, Long.MAX_VALUE - 1);
        assertThat(nearlyAll.outcome()).isEqualTo(Decision.Outcome.ADMITTED);
        assertThat(nearlyAll.binding().remaining()).isEqualTo(1);

        atSeconds(90);
        Decision all = limiter.tryAcquire(KEY, limits, 1);
        assertThat(all.outcome()).isEqualTo(Decision.Outcome.ADMITTED);
        assertThat(all.binding().used()).isEqualTo(Long.MAX_VALUE);
        assertThat(all.binding().remaining()).isZero();

        Decision full = limiter.tryAcquire(KEY, limits, Long.MAX_VALUE);
        assertThat(full.outcome()).isEqualTo(Decision.Outcome.REJECTED);
        assertThat(full.retryAt()).as("both slots must leave").contains(START.plusSeconds(62 * 60));
        Decision single = limiter.tryAcquire(KEY, limits, 1);
        assertThat(single.retryAt()).as("the first slot frees enough").contains(START.plusSeconds(61 * 60));

        atSeconds(62 * 60);
        Decision afterRelease = limiter.tryAcquire(KEY, limits, Long.MAX_VALUE);
        assertThat(afterRelease.outcome()).isEqualTo(Decision.Outcome.ADMITTED);
        assertThat(afterRelease.binding().used()).isEqualTo(Long.MAX_VALUE);
    }

    /** Costs beyond the int range in one slot must add up exactly. */
    @Test
    void tryAcquire_costsAboveIntRangeAddUp() {
        long threeBillion = 3_000_000_000L;
        List<Limit> limits = List.of(Limit.hourly(10_000_000_000L));

        limiter.tryAcquire(KEY, limits, threeBillion);
        limiter.tryAcquire(KEY, limits, threeBillion);
        Decision third = limiter.tryAcquire(KEY, limits, threeBillion);
        assertThat(third.binding().used()).isEqualTo(9_000_000_000L);
        assertThat(third.binding().remaining()).isEqualTo(1_000_000_000L);
        assertThat(limiter.tryAcquire(KEY, limits, threeBillion).outcome()).isEqualTo(Decision.Outcome.REJECTED);
        assertThat(limiter.tryAcquire(KEY, limits, 1_000_000_000L).outcome()).isEqualTo(Decision.Outcome.ADMITTED);
    }

    @Test
    void tryAcquire_thirtyDayWindowReleasesOnTime() {
        List<Limit> limits = List.of(Limit.monthly(3));
        Duration releaseOfFirstSlot = Duration.ofDays(30).plusHours(12);
        for (int day = 0; day < 3; day++) {
            clock.set(START.plus(Duration.ofDays(day)));
            assertThat(limiter.tryAcquire(KEY, limits).outcome()).as("day %d", day)
                    .isEqualTo(Decision.Outcome.ADMITTED);
        }

        clock.set(START.plus(Duration.ofDays(3)));
        Decision rejected = limiter.tryAcquire(KEY, limits);
        assertThat(rejected.outcome()).isEqualTo(Decision.Outcome.REJECTED);
        assertThat(rejected.retryAfter()).contains(releaseOfFirstSlot.minusDays(3));
        assertThat(rejected.binding().resetAt()).isEqualTo(START.plus(releaseOfFirstSlot));

        clock.set(START.plus(releaseOfFirstSlot).minusMillis(1));
        assertThat(limiter.tryAcquire(KEY, limits).outcome()).isEqualTo(Decision.Outcome.REJECTED);
        clock.set(START.plus(releaseOfFirstSlot));
        Decision afterRelease = limiter.tryAcquire(KEY, limits);
        assertThat(afterRelease.outcome()).isEqualTo(Decision.Outcome.ADMITTED);
        assertThat(afterRelease.binding().resetAt()).as("day 1 leaves 61 slots of 12 h after it")
                .isEqualTo(START.plus(Duration.ofDays(1)).plus(releaseOfFirstSlot));
    }

    @Test
    void tryAcquire_costAboveMaximumMarksViolatedLimit() {
        List<Limit> limits = List.of(Limit.daily(100), Limit.hourly(5));
        limiter.tryAcquire(KEY, limits, 2);

        Decision decision = limiter.tryAcquire(KEY, limits, 6);

        assertThat(decision.outcome()).isEqualTo(Decision.Outcome.COST_EXCEEDS_MAXIMUM);
        assertThat(decision.binding().limit()).isEqualTo(Limit.hourly(5));
        assertThat(decision.violated()).extracting(LimitStatus::limit).containsExactly(Limit.hourly(5));
        assertThat(decision.limits()).extracting(LimitStatus::used).containsExactly(2L, 2L);
        assertThat(limiter.usage(KEY, limits)).extracting(LimitStatus::used).containsExactly(2L, 2L);
    }

    /** The decision time of a cost above the maximum, like any other, is the key's latest time. */
    @Test
    void tryAcquire_costAboveMaximumKeepsKeyTime() {
        List<Limit> limits = List.of(Limit.hourly(5));
        atSeconds(600);
        limiter.tryAcquire(KEY, limits);

        atSeconds(0);
        Decision decision = limiter.tryAcquire(KEY, limits, 6);

        assertThat(decision.outcome()).isEqualTo(Decision.Outcome.COST_EXCEEDS_MAXIMUM);
        assertThat(decision.decidedAt()).isEqualTo(START.plusSeconds(600));
    }

    // ---- Several limits ----

    @Test
    void tryAcquire_hourlyRejectionKeepsOtherUsage() {
        List<Limit> limits = TierCatalog.standard().get("free").limits();
        for (int i = 0; i < 60; i++) {
            limiter.tryAcquire(KEY, limits);
        }

        Decision rejected = limiter.tryAcquire(KEY, limits);

        assertThat(rejected.outcome()).isEqualTo(Decision.Outcome.REJECTED);
        assertThat(rejected.binding().limit().name()).isEqualTo("hourly");
        assertThat(rejected.violated()).extracting(s -> s.limit().name()).containsExactly("hourly");
        assertThat(rejected.limits()).extracting(LimitStatus::used).containsExactly(60L, 60L, 60L);
        assertThat(limiter.usage(KEY, limits)).extracting(LimitStatus::used).containsExactly(60L, 60L, 60L);
    }

    @Test
    void tryAcquire_rejectsWhenDailyLimitReached() {
        List<Limit> limits = List.of(Limit.hourly(60), Limit.daily(100));
        acquireAll(limits, 60);
        clock.set(START.plus(Duration.ofHours(2)));
        acquireAll(limits, 40);

        clock.set(START.plus(Duration.ofHours(3)));
        Decision rejected = limiter.tryAcquire(KEY, limits);

        assertThat(rejected.outcome()).isEqualTo(Decision.Outcome.REJECTED);
        assertThat(rejected.binding().limit()).isEqualTo(Limit.daily(100));
        assertThat(rejected.violated()).extracting(LimitStatus::limit).containsExactly(Limit.daily(100));
        assertThat(rejected.limits().get(0).used()).as("hourly").isEqualTo(40);
        assertThat(rejected.retryAt()).as("daily slot 0 leaves at 61 x 1,440 s").contains(START.plusSeconds(87_840));
    }

    @Test
    void tryAcquire_bindingPrefersLongestWait() {
        List<Limit> limits = List.of(Limit.hourly(2), Limit.daily(2));
        acquireAll(limits, 2);

        atSeconds(10);
        Decision rejected = limiter.tryAcquire(KEY, limits);

        assertThat(rejected.violated()).hasSize(2);
        assertThat(rejected.binding().limit()).isEqualTo(Limit.daily(2));
        assertThat(rejected.retryAt()).contains(START.plusSeconds(87_840));
    }

    @Test
    void tryAcquire_bindingPrefersLeastRemaining() {
        Decision admitted = limiter.tryAcquire(KEY, List.of(Limit.hourly(10), Limit.daily(5)));

        assertThat(admitted.binding().limit()).isEqualTo(Limit.daily(5));
        assertThat(admitted.binding().remaining()).isEqualTo(4);
    }

    @Test
    void tryAcquire_bindingTiesGoToFirstListed() {
        Limit first = Limit.of("first", Duration.ofHours(1), 3);
        Limit second = Limit.of("second", Duration.ofHours(1), 3);

        assertThat(limiter.tryAcquire(KEY, List.of(first, second)).binding().limit()).isEqualTo(first);
        assertThat(limiter.tryAcquire(KEY, List.of(second, first)).binding().limit()).isEqualTo(second);
        limiter.tryAcquire(KEY, List.of(first, second));

        Decision rejected = limiter.tryAcquire(KEY, List.of(second, first));
        assertThat(rejected.violated()).hasSize(2);
        assertThat(rejected.binding().limit()).isEqualTo(second);
    }

    @Test
    void tryAcquire_sameWindowCountsOnce() {
        List<Limit> limits = List.of(Limit.of("burst", Duration.ofHours(1), 5), Limit.hourly(10));

        Decision decision = limiter.tryAcquire(KEY, limits, 2);

        assertThat(decision.limits()).extracting(LimitStatus::used).containsExactly(2L, 2L);
        assertThat(decision.limits()).extracting(LimitStatus::remaining).containsExactly(3L, 8L);
    }

    @Test
    void tryAcquire_tierChangeKeepsUsage() {
        TierCatalog catalog = TierCatalog.standard();
        List<Limit> free = catalog.get("free").limits();
        List<Limit> pro = catalog.get("pro").limits();
        acquireAll(free, 60);
        assertThat(limiter.tryAcquire(KEY, free).outcome()).isEqualTo(Decision.Outcome.REJECTED);

        Decision upgraded = limiter.tryAcquire(KEY, pro);

        assertThat(upgraded.outcome()).isEqualTo(Decision.Outcome.ADMITTED);
        assertThat(upgraded.limits()).extracting(LimitStatus::used).containsExactly(61L, 61L, 61L);
        assertThat(upgraded.binding().limit()).isEqualTo(Limit.hourly(600));
        assertThat(upgraded.binding().remaining()).isEqualTo(539);
    }

    @Test
    void tryAcquire_downgradeClampsRemainingAtZero() {
        acquireAll(List.of(Limit.hourly(10)), 8);

        Decision downgraded = limiter.tryAcquire(KEY, List.of(Limit.hourly(5)));

        assertThat(downgraded.outcome()).isEqualTo(Decision.Outcome.REJECTED);
        assertThat(downgraded.binding().used()).isEqualTo(8);
        assertThat(downgraded.binding().remaining()).isZero();
        assertThat(downgraded.retryAt()).as("four of eight must leave, all in slot 0")
                .contains(START.plusSeconds(3_660));
    }

    @Test
    void tryAcquire_windowCountsOnlyRequestsNamingIt() {
        acquireAll(List.of(Limit.hourly(10)), 4);

        Decision both = limiter.tryAcquire(KEY, List.of(Limit.hourly(10), Limit.daily(10)));

        assertThat(both.limits()).extracting(LimitStatus::used).containsExactly(5L, 1L);
    }

    @Test
    void tryAcquire_keysAreIndependent() {
        List<Limit> limits = List.of(Limit.hourly(1));
        limiter.tryAcquire("a", limits);

        assertThat(limiter.tryAcquire("a", limits).outcome()).isEqualTo(Decision.Outcome.REJECTED);
        assertThat(limiter.tryAcquire("b", limits).outcome()).isEqualTo(Decision.Outcome.ADMITTED);
    }

    @Test
    void tryAcquire_manyKeysLoseNoCount() {
        List<Limit> limits = List.of(Limit.hourly(1_000_000), Limit.daily(1_000_000));
        int keys = 200;
        AtomicLong[] sent = new AtomicLong[keys];
        for (int k = 0; k < keys; k++) {
            sent[k] = new AtomicLong();
        }
        AtomicLong rejected = new AtomicLong();

        runConcurrently(8, thread -> {
            Random random = new Random(thread);
            for (int i = 0; i < 5_000; i++) {
                int k = random.nextInt(keys);
                long cost = 1 + random.nextInt(3);
                if (limiter.tryAcquire("key-" + k, limits, cost).admitted()) {
                    sent[k].addAndGet(cost);
                } else {
                    rejected.incrementAndGet();
                }
            }
        });

        assertThat(rejected.get()).isZero();
        for (int k = 0; k < keys; k++) {
            assertThat(limiter.usage("key-" + k, limits)).as("key-%d", k).extracting(LimitStatus::used)
                    .containsExactly(sent[k].get(), sent[k].get());
        }
    }

    // ---- Other calls ----

    @Test
    void tryAcquire_defaultCostIsOne() {
        Decision decision = limiter.tryAcquire(KEY, List.of(Limit.hourly(10)));

        assertThat(decision.cost()).isEqualTo(1);
        assertThat(decision.binding().used()).isEqualTo(1);
    }

    @Test
    void tryConsume_countsLikeTryAcquire() {
        List<Limit> limits = List.of(Limit.hourly(5));

        assertThat(limiter.tryConsume(KEY, limits, 2)).isTrue();
        assertThat(limiter.tryConsume(KEY, limits, 3)).isTrue();
        assertThat(limiter.tryConsume(KEY, limits, 1)).isFalse();
        assertThat(limiter.tryConsume(KEY, limits, 6)).isFalse();
        assertThat(limiter.usage(KEY, limits).get(0).used()).isEqualTo(5);
    }

    @Test
    void usage_readsWithoutCounting() {
        List<Limit> limits = List.of(Limit.hourly(5));
        limiter.tryAcquire(KEY, limits, 2);

        List<LimitStatus> first = limiter.usage(KEY, limits);
        List<LimitStatus> second = limiter.usage(KEY, limits);

        assertThat(first).isEqualTo(second);
        assertThat(first.get(0).used()).isEqualTo(2);
        assertThat(first.get(0).remaining()).isEqualTo(3);
        assertThat(first.get(0).resetAt()).isEqualTo(START.plusSeconds(3_660));
        assertThat(first.get(0).violated()).isFalse();
        assertThat(limiter.tryAcquire(KEY, limits).binding().used()).isEqualTo(3);
    }

    @Test
    void usage_unknownKeyHasNothingUsed() {
        atSeconds(42);
        List<LimitStatus> statuses = limiter.usage("unknown", List.of(Limit.hourly(5), Limit.daily(7)));

        assertThat(statuses).containsExactly(
                new LimitStatus(Limit.hourly(5), 0, 5, START.plusSeconds(42), false),
                new LimitStatus(Limit.daily(7), 0, 7, START.plusSeconds(42), false));
    }

    @Test
    void reset_forgetsUsage() {
        List<Limit> limits = List.of(Limit.hourly(1));
        limiter.tryAcquire(KEY, limits);

        limiter.reset(KEY);

        assertThat(limiter.usage(KEY, limits).get(0).used()).isZero();
        assertThat(limiter.tryAcquire(KEY, limits).outcome()).isEqualTo(Decision.Outcome.ADMITTED);
        limiter.reset("never-seen");
    }

    @Test
    void precision_returnsConfiguredSlots() {
        assertThat(limiter.precision()).isEqualTo(60);
        assertThat(newLimiter(12, clock).precision()).isEqualTo(12);
    }

    // ---- Invalid arguments ----

    @Test
    void tryAcquire_rejectsNullKey() {
        assertThatNullPointerException().isThrownBy(() -> limiter.tryAcquire(null, List.of(Limit.hourly(5)), 1))
                .withMessageContaining("key");
    }

    @Test
    void tryAcquire_rejectsNullLimits() {
        assertThatNullPointerException().isThrownBy(() -> limiter.tryAcquire(KEY, null, 1))
                .withMessageContaining("limits");
    }

    @Test
    void tryAcquire_rejectsEmptyLimits() {
        assertThatIllegalArgumentException().isThrownBy(() -> limiter.tryAcquire("account-7", List.of(), 1))
                .withMessageContaining("limit")
                .withMessageContaining("account-7");
    }

    @Test
    void tryAcquire_rejectsCostBelowOne() {
        List<Limit> limits = List.of(Limit.hourly(5));

        assertThatIllegalArgumentException().isThrownBy(() -> limiter.tryAcquire(KEY, limits, 0))
                .withMessageMatching("(?s).*cost.*\\b0\\b.*");
        assertThatIllegalArgumentException().isThrownBy(() -> limiter.tryAcquire(KEY, limits, -3))
                .withMessageContaining("-3");
        assertThatIllegalArgumentException().isThrownBy(() -> limiter.tryConsume(KEY, limits, 0))
                .withMessageContaining("cost");
    }

    @Test
    void tryAcquire_rejectsIndivisibleWindow() {
        List<Limit> limits = List.of(Limit.of("odd", Duration.ofMillis(1_001), 5));

        assertThatIllegalArgumentException().isThrownBy(() -> limiter.tryAcquire(KEY, limits, 1))
                .withMessageContaining("1001")
                .withMessageContaining("60");
        assertThatIllegalArgumentException().as("a cost above the maximum is no reason to skip the check")
                .isThrownBy(() -> limiter.tryAcquire(KEY, limits, 6))
                .withMessageContaining("1001");
        assertThatIllegalArgumentException().isThrownBy(() -> limiter.usage(KEY, limits))
                .withMessageContaining("1001");
    }

    @Test
    void usage_rejectsInvalidArguments() {
        assertThatNullPointerException().isThrownBy(() -> limiter.usage(null, List.of(Limit.hourly(5))))
                .withMessageContaining("key");
        assertThatIllegalArgumentException().isThrownBy(() -> limiter.usage("account-7", List.of()))
                .withMessageContaining("account-7");
        assertThatNullPointerException().isThrownBy(() -> limiter.reset(null))
                .withMessageContaining("key");
    }

    // ---- Random workloads ----

    @Test
    void randomRuns_matchReferenceModel() {
        Map<Decision.Outcome, Integer> outcomes = new EnumMap<>(Decision.Outcome.class);
        for (long seed = 0; seed < randomSeeds(); seed++) {
            int precision = RandomWorkload.precisionFor(seed);
            ModelComparison comparison = new ModelComparison(seed, precision, c -> newLimiter(precision, c));
            comparison.run(RandomWorkload.generate(seed, operationsPerSeed(), false));
            comparison.outcomes().forEach((outcome, count) -> outcomes.merge(outcome, count, Integer::sum));
        }

        // A workload that rarely rejects would let most of the semantics go unchecked.
        int decisions = outcomes.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(outcomes.getOrDefault(Decision.Outcome.REJECTED, 0)).as("rejections among %s", outcomes)
                .isGreaterThan(decisions / 5);
        assertThat(outcomes.getOrDefault(Decision.Outcome.ADMITTED, 0)).as("admissions among %s", outcomes)
                .isGreaterThan(decisions / 5);
        assertThat(outcomes.getOrDefault(Decision.Outcome.COST_EXCEEDS_MAXIMUM, 0)).as("among %s", outcomes)
                .isGreaterThan(decisions / 100);
    }

    /**
     * Replays random workloads up to a rejection into a fresh limiter, then retries that request one
     * millisecond before its retry time (rejected) and at it (admitted).
     */
    @Test
    void randomRejections_retryAtIsExact() {
        int probed = 0;
        for (long seed = 0; seed < randomSeeds(); seed++) {
            List<Operation> operations = RandomWorkload.generate(seed, operationsPerSeed(), false);
            int precision = RandomWorkload.precisionFor(seed);
            List<ModelComparison.Rejection> rejections = rejectionsOf(operations, precision);
            Collections.shuffle(rejections, new Random(seed));
            for (ModelComparison.Rejection rejection : rejections.subList(0, Math.min(2, rejections.size()))) {
                probeRetry(seed, operations, precision, rejection);
                probed++;
            }
        }
        assertThat(probed).isGreaterThan(randomSeeds());
    }

    private List<ModelComparison.Rejection> rejectionsOf(List<Operation> operations, int precision) {
        MutableClock replayClock = new MutableClock(RandomWorkload.START_MILLIS);
        SlidingWindowLimiter replica = newLimiter(precision, replayClock);
        List<ModelComparison.Rejection> rejections = new ArrayList<>();
        for (int i = 0; i < operations.size(); i++) {
            replayClock.setMillis(operations.get(i).clockMillis());
            Decision decision = ModelComparison.apply(replica, operations.get(i));
            if (decision != null && decision.outcome() == Decision.Outcome.REJECTED) {
                rejections.add(new ModelComparison.Rejection(i, decision));
            }
        }
        return rejections;
    }

    private void probeRetry(long seed, List<Operation> operations, int precision,
            ModelComparison.Rejection rejection) {
        MutableClock replayClock = new MutableClock(RandomWorkload.START_MILLIS);
        SlidingWindowLimiter replica = newLimiter(precision, replayClock);
        Decision replayed = null;
        for (int i = 0; i <= rejection.index(); i++) {
            replayClock.setMillis(operations.get(i).clockMillis());
            replayed = ModelComparison.apply(replica, operations.get(i));
        }
        Operation request = operations.get(rejection.index());
        String context = "seed " + seed + ", operation " + rejection.index() + " (" + request + ")";
        assertThat(ModelComparison.describe(replayed)).as(context + ": replay")
                .isEqualTo(ModelComparison.describe(rejection.decision()));

        long retryAt = rejection.decision().retryAt().orElseThrow().toEpochMilli();
        replayClock.setMillis(retryAt - 1);
        Decision early = ModelComparison.apply(replica, request);
        assertThat(early.outcome()).as(context + ": retried 1 ms before " + retryAt)
                .isEqualTo(Decision.Outcome.REJECTED);
        replayClock.setMillis(retryAt);
        Decision onTime = ModelComparison.apply(replica, request);
        assertThat(onTime.outcome()).as(context + ": retried at " + retryAt).isEqualTo(Decision.Outcome.ADMITTED);
    }

    // ---- Helpers ----

    /** Sets the clock to {@code seconds} after {@link #START}. */
    protected void atSeconds(long seconds) {
        clock.set(START.plusSeconds(seconds));
    }

    /** Sets the clock to {@code millis} after {@link #START}. */
    protected void atMillis(long millis) {
        clock.set(START.plusMillis(millis));
    }

    /** Sends {@code count} requests of cost 1 for the default key at the current time; each must be admitted. */
    private void acquireAll(List<Limit> limits, int count) {
        for (int i = 0; i < count; i++) {
            assertThat(limiter.tryAcquire(KEY, limits).outcome()).as("request %d of %d", i + 1, count)
                    .isEqualTo(Decision.Outcome.ADMITTED);
        }
    }

    /** Sends one request for the default key at each whole second from {@code from} up to {@code to}; each must be rejected. */
    private void rejectEachSecond(List<Limit> limits, int from, int to) {
        for (int t = from; t < to; t++) {
            atSeconds(t);
            assertThat(limiter.tryAcquire(KEY, limits).outcome()).as("request at %d s", t)
                    .isEqualTo(Decision.Outcome.REJECTED);
        }
    }

    /**
     * Runs {@code task} on {@code threads} new threads released at the same moment and waits for all
     * of them, failing with the first exception any of them threw.
     */
    protected static void runConcurrently(int threads, IntConsumer task) {
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    task.accept(index);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "limiter-contract-" + t);
            thread.start();
            started.add(thread);
        }
        start.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (Thread thread : started) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + thread.getName(), e);
            }
            assertThat(thread.isAlive()).as("%s still running after 60 s", thread.getName()).isFalse();
        }
        assertThat(failure.get()).as("exception in a worker thread").isNull();
    }

    private static List<Long> sorted(Queue<Long> values) {
        List<Long> list = new ArrayList<>(values);
        Collections.sort(list);
        return list;
    }

    private static long wholeSecondsRoundedUp(Duration duration) {
        return (duration.toMillis() + 999) / 1_000;
    }
}
