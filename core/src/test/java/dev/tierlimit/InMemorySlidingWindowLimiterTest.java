package dev.tierlimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Runs the limiter contract on the in-memory limiter and covers what only it has. */
class InMemorySlidingWindowLimiterTest extends SlidingWindowLimiterContract {

    /** Thirty days and one 12-hour slot: every standard window is empty after this long. */
    private static final Duration LONGEST_WINDOW_AND_SLOT = Duration.ofDays(30).plusHours(12);

    private static final List<Limit> FREE = TierCatalog.standard().get("free").limits();

    @Override
    protected SlidingWindowLimiter newLimiter(int precision, MutableClock clock) {
        return inMemory(precision, clock);
    }

    private static InMemorySlidingWindowLimiter inMemory(int precision, MutableClock clock) {
        return InMemorySlidingWindowLimiter.builder()
                .precision(precision)
                .clock(clock)
                .evictionInterval(Duration.ZERO)
                .build();
    }

    // ---- Eviction ----

    /** Returns a builder for a limiter of the default precision on {@link #clock} that sweeps automatically. */
    private InMemorySlidingWindowLimiter.Builder sweepingEvery(Duration interval) {
        return InMemorySlidingWindowLimiter.builder().clock(clock).evictionInterval(interval);
    }

    @Test
    void evictIdle_forgetsAllKeysAfterLongestWindow() {
        InMemorySlidingWindowLimiter memory = inMemory(60, clock);
        acquireForKeys(memory, 100_000);
        assertThat(memory.trackedKeys()).isEqualTo(100_000);

        clock.set(START.plus(LONGEST_WINDOW_AND_SLOT).minusMillis(1));
        assertThat(memory.evictIdle()).as("the 30-day window still counts every key").isZero();

        clock.set(START.plus(LONGEST_WINDOW_AND_SLOT).plusSeconds(1));
        assertThat(memory.evictIdle()).isEqualTo(100_000);
        assertThat(memory.trackedKeys()).isZero();
    }

    @Test
    void evictionInterval_sweepsIdleKeysAutomatically() {
        InMemorySlidingWindowLimiter memory = sweepingEvery(Duration.ofMinutes(1)).build();
        acquireForKeys(memory, 100_000);

        clock.set(START.plus(LONGEST_WINDOW_AND_SLOT).plusSeconds(1));
        memory.tryAcquire("trigger", FREE);

        assertThat(memory.trackedKeys()).as("only the key whose request ran the sweep").isEqualTo(1);
    }

    @Test
    void evictionInterval_waitsForInterval() {
        InMemorySlidingWindowLimiter memory = sweepingEvery(Duration.ofHours(2)).build();
        memory.tryAcquire("a", List.of(Limit.hourly(5)));

        atSeconds(3_660);
        memory.tryAcquire("b", List.of(Limit.hourly(5)));
        assertThat(memory.trackedKeys()).as("an hour after start, the two-hour sweep is not due").isEqualTo(2);

        atSeconds(7_200);
        memory.tryAcquire("c", List.of(Limit.hourly(5)));
        assertThat(memory.trackedKeys()).as("\"a\" is idle when the sweep is due").isEqualTo(2);
    }

    @Test
    void evictionExecutor_runsSweepOffCallerThread() {
        List<Runnable> sweeps = new ArrayList<>();
        InMemorySlidingWindowLimiter memory = sweepingEvery(Duration.ofMinutes(1))
                .evictionExecutor(sweeps::add)
                .build();
        acquireForKeys(memory, 1_000);

        clock.set(START.plus(LONGEST_WINDOW_AND_SLOT).plusSeconds(1));
        memory.tryAcquire("trigger", FREE);
        assertThat(sweeps).hasSize(1);
        assertThat(memory.trackedKeys()).as("before the executor runs the sweep").isEqualTo(1_001);

        sweeps.get(0).run();
        assertThat(memory.trackedKeys()).isEqualTo(1);
    }

    @Test
    void evictIdle_keepsKeysWithUsage() {
        InMemorySlidingWindowLimiter memory = inMemory(60, clock);
        List<Limit> limits = acquireEarlyAndLate(memory);

        atSeconds(3_660);
        assertThat(memory.evictIdle()).isEqualTo(1);

        assertThat(memory.trackedKeys()).isEqualTo(1);
        assertThat(memory.usage("late", limits).get(0).used()).isEqualTo(2);
        assertThat(memory.tryAcquire("early", limits).binding().used()).as("an evicted key starts afresh")
                .isEqualTo(1);
    }

    @Test
    void trackedKeys_countsKeysWithState() {
        InMemorySlidingWindowLimiter memory = inMemory(60, clock);
        List<Limit> limits = List.of(Limit.hourly(1));
        assertThat(memory.trackedKeys()).isZero();

        memory.tryAcquire("a", limits);
        memory.tryAcquire("a", limits);
        memory.tryAcquire("b", limits, 2);
        memory.usage("c", limits);
        assertThat(memory.trackedKeys()).as("a cost above the maximum and a usage read track nothing")
                .isEqualTo(1);

        memory.reset("a");
        assertThat(memory.trackedKeys()).isZero();
    }

    // ---- Snapshots ----

    @Test
    void snapshot_restoreGivesIdenticalDecisions() {
        InMemorySlidingWindowLimiter original = inMemory(60, clock);
        Random random = new Random(11);
        List<Limit> pro = TierCatalog.standard().get("pro").limits();
        List<List<Limit>> limitSets = List.of(List.of(Limit.hourly(20), Limit.daily(50)), FREE, pro);
        for (int i = 0; i < 300; i++) {
            clock.advanceMillis(random.nextInt(120_000));
            original.tryAcquire("key-" + random.nextInt(5), limitSets.get(random.nextInt(3)), 1 + random.nextInt(4));
        }

        InMemorySlidingWindowLimiter restored = inMemory(60, clock);
        restored.restore(original.snapshot());

        for (int i = 0; i < 300; i++) {
            clock.advanceMillis(random.nextInt(120_000));
            String key = "key-" + random.nextInt(6);
            List<Limit> limits = limitSets.get(random.nextInt(3));
            long cost = 1 + random.nextInt(4);
            assertThat(ModelComparison.describe(restored.tryAcquire(key, limits, cost))).as("request %d", i)
                    .isEqualTo(ModelComparison.describe(original.tryAcquire(key, limits, cost)));
        }
    }

    @Test
    void snapshot_omitsIdleKeys() {
        InMemorySlidingWindowLimiter memory = inMemory(60, clock);
        acquireEarlyAndLate(memory);

        atSeconds(3_660);
        LimiterSnapshot snapshot = memory.snapshot();

        assertThat(snapshot.keys()).extracting(LimiterSnapshot.KeySnapshot::key).containsExactly("late");
        assertThat(snapshot.precision()).isEqualTo(60);
        assertThat(snapshot.takenAt()).isEqualTo(START.plusSeconds(3_660));
    }

    @Test
    void restore_rejectsOtherPrecision() {
        InMemorySlidingWindowLimiter memory = inMemory(60, clock);
        memory.tryAcquire("a", List.of(Limit.hourly(5)));
        LimiterSnapshot snapshot = memory.snapshot();

        assertThatIllegalArgumentException().isThrownBy(() -> inMemory(12, clock).restore(snapshot))
                .withMessageContaining("60")
                .withMessageContaining("12");
    }

    @Test
    void restore_rejectsSlotNotMatchingTime() {
        long[] counts = new long[61];
        counts[60] = 1;
        LimiterSnapshot.WindowSnapshot window = new LimiterSnapshot.WindowSnapshot(3_600_000, 7, counts);
        LimiterSnapshot snapshot = new LimiterSnapshot(60, START,
                List.of(new LimiterSnapshot.KeySnapshot("account-7", START.toEpochMilli(), List.of(window))));

        assertThatIllegalArgumentException().isThrownBy(() -> inMemory(60, clock).restore(snapshot))
                .withMessageContaining("account-7");
    }

    @Test
    void restore_expiredUsageStopsCounting() {
        InMemorySlidingWindowLimiter memory = inMemory(60, clock);
        List<Limit> limits = List.of(Limit.hourly(1));
        memory.tryAcquire("a", limits);
        LimiterSnapshot snapshot = memory.snapshot();

        atMillis(3_659_999);
        InMemorySlidingWindowLimiter beforeRelease = inMemory(60, clock);
        beforeRelease.restore(snapshot);
        assertThat(beforeRelease.tryAcquire("a", limits).outcome()).isEqualTo(Decision.Outcome.REJECTED);

        atSeconds(3_660);
        InMemorySlidingWindowLimiter afterRelease = inMemory(60, clock);
        afterRelease.restore(snapshot);
        Decision decision = afterRelease.tryAcquire("a", limits);
        assertThat(decision.outcome()).isEqualTo(Decision.Outcome.ADMITTED);
        assertThat(decision.binding().used()).isEqualTo(1);
    }

    @Test
    void restore_replacesExistingKey() {
        List<Limit> limits = List.of(Limit.hourly(10));
        InMemorySlidingWindowLimiter source = inMemory(60, clock);
        source.tryAcquire("a", limits);
        InMemorySlidingWindowLimiter target = inMemory(60, clock);
        target.tryAcquire("a", limits, 3);
        target.tryAcquire("b", limits, 2);

        target.restore(source.snapshot());

        assertThat(target.usage("a", limits).get(0).used()).isEqualTo(1);
        assertThat(target.usage("b", limits).get(0).used()).as("keys not in the snapshot stay").isEqualTo(2);
    }

    @Test
    void snapshot_keepsCountsAboveIntRange() {
        List<Limit> limits = List.of(Limit.hourly(10_000_000_000L));
        InMemorySlidingWindowLimiter source = inMemory(60, clock);
        source.tryAcquire("a", limits, 3_000_000_000L);
        source.tryAcquire("a", limits, 3_000_000_000L);

        InMemorySlidingWindowLimiter target = inMemory(60, clock);
        target.restore(source.snapshot());

        assertThat(target.usage("a", limits).get(0).used()).isEqualTo(6_000_000_000L);
        assertThat(target.tryAcquire("a", limits, 4_000_000_000L).binding().remaining()).isZero();
        assertThat(target.tryAcquire("a", limits, 1).outcome()).isEqualTo(Decision.Outcome.REJECTED);
    }

    // ---- Random workloads with eviction and restarts ----

    @Test
    void randomRuns_withEvictionMatchReferenceModel() {
        for (long seed = 0; seed < 50; seed++) {
            int precision = RandomWorkload.precisionFor(seed);
            ModelComparison comparison = new ModelComparison(seed, precision, c -> inMemory(precision, c));
            comparison.run(RandomWorkload.generate(seed, operationsPerSeed(), true));
        }
    }

    // ---- Builder ----

    @Test
    void builder_rejectsInvalidPrecision() {
        assertThatIllegalArgumentException().isThrownBy(() -> InMemorySlidingWindowLimiter.builder().precision(0))
                .withMessageContaining(": 0");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> InMemorySlidingWindowLimiter.builder().precision(10_001))
                .withMessageContaining("10001");
    }

    @Test
    void builder_rejectsNegativeEvictionInterval() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> InMemorySlidingWindowLimiter.builder().evictionInterval(Duration.ofSeconds(-1)))
                .withMessageContaining("PT-1S");
    }

    /**
     * Sends a request of cost 1 for key "early" at {@link #START} and one of cost 2 for key "late"
     * half an hour later, both under a limit of 5 per hour, and returns that limit.
     */
    private List<Limit> acquireEarlyAndLate(InMemorySlidingWindowLimiter memory) {
        List<Limit> limits = List.of(Limit.hourly(5));
        clock.set(START);
        memory.tryAcquire("early", limits);
        atSeconds(1_800);
        memory.tryAcquire("late", limits, 2);
        return limits;
    }

    /** Sends one request with the free tier's limits for each of {@code count} keys at {@link #START}. */
    private void acquireForKeys(InMemorySlidingWindowLimiter memory, int count) {
        clock.set(START);
        for (int k = 0; k < count; k++) {
            assertThat(memory.tryAcquire("key-" + k, FREE).admitted()).isTrue();
        }
    }
}
