package dev.tierlimit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer of a {@link SlidingWindowLimiter} to one request: whether it was admitted, the state of
 * every limit afterwards, the binding limit and, when rejected, when to retry.
 *
 * <p>The <em>binding</em> limit is the one HTTP headers describe: among the limits that rejected the
 * request, the one with the longest wait; when the request was admitted, the one with the least
 * remaining. Ties go to the limit listed first. For {@link Outcome#COST_EXCEEDS_MAXIMUM}, where no
 * wait helps, it is the violated limit with the smallest maximum.
 *
 * <p>{@link #retryAfter()} is present only for {@link Outcome#REJECTED}. It is exact: the same request
 * is admitted at {@link #retryAt()} if nothing else is admitted meanwhile, and would be rejected one
 * millisecond earlier. It is measured from {@link #decidedAt()}, the limiter's time of the decision,
 * which stays at the latest time seen when a clock steps backwards.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Decision {

    /** What happened to the request. */
    public enum Outcome {
        /** Every limit had room; the cost now counts against all of them. */
        ADMITTED,
        /** At least one limit had no room; nothing was counted, and a retry time is known. */
        REJECTED,
        /** The cost is larger than a limit's maximum, so no wait can admit it; nothing was counted. */
        COST_EXCEEDS_MAXIMUM
    }

    private final Outcome outcome;
    private final long cost;
    private final Instant decidedAt;
    private final List<LimitStatus> limits;
    private final int bindingIndex;
    private final Duration retryAfter;

    /**
     * Creates a decision. Limiter implementations call this; applications read decisions.
     *
     * @param outcome what happened
     * @param cost the cost of the request, at least 1
     * @param decidedAt the limiter's time of the decision
     * @param limits the status of every limit, in the order the limits were given
     * @param bindingIndex index into {@code limits} of the binding limit
     * @param retryAfter time from {@code decidedAt} until the request can be admitted; required for
     *     {@link Outcome#REJECTED} and null otherwise
     * @throws NullPointerException if a required argument is null
     * @throws IllegalArgumentException if an argument contradicts another
     */
    public Decision(Outcome outcome, long cost, Instant decidedAt, List<LimitStatus> limits, int bindingIndex,
            Duration retryAfter) {
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.decidedAt = Objects.requireNonNull(decidedAt, "decidedAt");
        this.limits = List.copyOf(limits);
        if (cost < 1) {
            throw new IllegalArgumentException("cost must be at least 1: " + cost);
        }
        if (bindingIndex < 0 || bindingIndex >= this.limits.size()) {
            throw new IllegalArgumentException("binding index " + bindingIndex + " is outside the "
                    + this.limits.size() + " limits");
        }
        boolean needsRetry = outcome == Outcome.REJECTED;
        if (needsRetry != (retryAfter != null)) {
            throw new IllegalArgumentException("a retry time is required for REJECTED and forbidden otherwise: "
                    + outcome + ", retryAfter=" + retryAfter);
        }
        if (retryAfter != null && (retryAfter.isNegative() || retryAfter.isZero())) {
            throw new IllegalArgumentException("retryAfter must be positive: " + retryAfter);
        }
        this.cost = cost;
        this.bindingIndex = bindingIndex;
        this.retryAfter = retryAfter;
    }

    /** Returns whether the request was admitted. */
    public boolean admitted() {
        return outcome == Outcome.ADMITTED;
    }

    /** Returns what happened to the request. */
    public Outcome outcome() {
        return outcome;
    }

    /** Returns the cost the request asked for. */
    public long cost() {
        return cost;
    }

    /** Returns the limiter's time of the decision. */
    public Instant decidedAt() {
        return decidedAt;
    }

    /** Returns the status of every limit, in the order the limits were given. */
    public List<LimitStatus> limits() {
        return limits;
    }

    /** Returns the status of the binding limit, the one rate-limit headers describe. */
    public LimitStatus binding() {
        return limits.get(bindingIndex);
    }

    /** Returns the limits that rejected the request; empty unless it was rejected. */
    public List<LimitStatus> violated() {
        List<LimitStatus> violated = new ArrayList<>();
        for (LimitStatus status : limits) {
            if (status.violated()) {
                violated.add(status);
            }
        }
        return List.copyOf(violated);
    }

    /** Returns the wait from {@link #decidedAt()} until the same request would be admitted, for a rejected request. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Returns the moment the same request would be admitted, for a rejected request. */
    public Optional<Instant> retryAt() {
        return retryAfter == null ? Optional.empty() : Optional.of(decidedAt.plus(retryAfter));
    }

    @Override
    public String toString() {
        return "Decision[" + outcome + ", cost=" + cost + ", at=" + decidedAt + ", binding=" + binding().limit().name()
                + (retryAfter == null ? "" : ", retryAfter=" + retryAfter) + ", limits=" + limits + "]";
    }
}
