package dev.tierlimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Feeds a workload step by step to a limiter and to {@link ReferenceLimiter}, fails at the first
 * difference with the seed and step index, and checks every admission against
 * {@link SlidingLogChecker}.
 */
final class ModelComparison {

    /** A rejected {@code tryAcquire} step, kept for probing its retry time later. */
    record Rejection(int index, Decision decision) {
    }

    private final long seed;
    private final MutableClock clock;
    private final Function<MutableClock, SlidingWindowLimiter> factory;
    private final ReferenceLimiter model;
    private final SlidingLogChecker log = new SlidingLogChecker();
    private final Map<Decision.Outcome, Integer> outcomes = new EnumMap<>(Decision.Outcome.class);
    private final List<Rejection> rejections = new ArrayList<>();
    private SlidingWindowLimiter limiter;

    /**
     * Creates a comparison over a new limiter from {@code factory}, which also makes the limiter that
     * a {@link Operation.Kind#SNAPSHOT_RESTORE} step restores into.
     */
    ModelComparison(long seed, int precision, Function<MutableClock, SlidingWindowLimiter> factory) {
        this.seed = seed;
        this.clock = new MutableClock(RandomWorkload.START_MILLIS);
        this.factory = factory;
        this.model = new ReferenceLimiter(precision);
        this.limiter = factory.apply(clock);
    }

    /** Runs every step of {@code operations} in order. */
    void run(List<Operation> operations) {
        for (int i = 0; i < operations.size(); i++) {
            step(i, operations.get(i));
        }
    }

    /** Returns how often each outcome came up, so a test can tell that a workload exercised them all. */
    Map<Decision.Outcome, Integer> outcomes() {
        return outcomes;
    }

    /** Returns the rejected {@code tryAcquire} steps, in order. */
    List<Rejection> rejections() {
        return rejections;
    }

    private void step(int index, Operation op) {
        clock.setMillis(op.clockMillis());
        Supplier<String> context = () -> "seed " + seed + ", operation " + index + " (" + op + ")";
        switch (op.kind()) {
            case ACQUIRE, ACQUIRE_DEFAULT_COST -> {
                Decision actual = apply(limiter, op);
                Decision expected = model.tryAcquire(op.key(), op.limits(), op.cost(), op.clockMillis());
                assertThat(describe(actual)).as(context).isEqualTo(describe(expected));
                record(op, expected, context);
                if (expected.outcome() == Decision.Outcome.REJECTED) {
                    rejections.add(new Rejection(index, actual));
                }
            }
            case CONSUME -> {
                boolean actual = limiter.tryConsume(op.key(), op.limits(), op.cost());
                Decision expected = model.tryAcquire(op.key(), op.limits(), op.cost(), op.clockMillis());
                assertThat(actual).as(() -> context.get() + ": admitted by tryConsume, expected " + describe(expected))
                        .isEqualTo(expected.admitted());
                record(op, expected, context);
            }
            case USAGE -> assertThat(limiter.usage(op.key(), op.limits())).as(context)
                    .isEqualTo(model.usage(op.key(), op.limits(), op.clockMillis()));
            case RESET -> {
                limiter.reset(op.key());
                model.reset(op.key());
                log.forget(op.key());
            }
            case EVICT -> {
                int evicted = ((InMemorySlidingWindowLimiter) limiter).evictIdle();
                Set<String> expected = forgetIdleKeys();
                assertThat(evicted).as(() -> context.get() + ": keys evicted, expected " + expected)
                        .isEqualTo(expected.size());
            }
            case SNAPSHOT_RESTORE -> {
                LimiterSnapshot snapshot = ((InMemorySlidingWindowLimiter) limiter).snapshot();
                InMemorySlidingWindowLimiter restored = (InMemorySlidingWindowLimiter) factory.apply(clock);
                restored.restore(snapshot);
                limiter = restored;
                // A snapshot holds only keys with usage, so the others lose their time as on eviction.
                forgetIdleKeys();
            }
        }
    }

    private Set<String> forgetIdleKeys() {
        Set<String> evicted = model.evictIdle(clock.millis());
        for (String key : evicted) {
            log.forget(key);
        }
        return evicted;
    }

    private void record(Operation op, Decision expected, Supplier<String> context) {
        outcomes.merge(expected.outcome(), 1, Integer::sum);
        if (expected.admitted()) {
            log.admitted(op.key(), op.limits(), op.cost(), expected.decidedAt().toEpochMilli(), context);
        }
    }

    /**
     * Applies one step to {@code limiter} without comparing anything, as replays do; returns the
     * decision of a {@code tryAcquire} step and null for other kinds.
     */
    static Decision apply(SlidingWindowLimiter limiter, Operation op) {
        switch (op.kind()) {
            case ACQUIRE:
                return limiter.tryAcquire(op.key(), op.limits(), op.cost());
            case ACQUIRE_DEFAULT_COST:
                return limiter.tryAcquire(op.key(), op.limits());
            case CONSUME:
                limiter.tryConsume(op.key(), op.limits(), op.cost());
                return null;
            case USAGE:
                limiter.usage(op.key(), op.limits());
                return null;
            case RESET:
                limiter.reset(op.key());
                return null;
            default:
                throw new IllegalArgumentException("replay supports only the calls of SlidingWindowLimiter: " + op);
        }
    }

    /**
     * Returns every observable part of a decision as text, so two decisions compare in one assertion
     * and a difference shows in full.
     */
    static String describe(Decision decision) {
        StringBuilder text = new StringBuilder()
                .append(decision.outcome())
                .append(", cost=").append(decision.cost())
                .append(", decidedAt=").append(decision.decidedAt())
                .append(", binding=").append(decision.limits().indexOf(decision.binding()))
                .append(", retryAfter=").append(decision.retryAfter().orElse(null));
        for (LimitStatus status : decision.limits()) {
            text.append("\n  ").append(status);
        }
        return text.toString();
    }
}
