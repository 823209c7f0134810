package dev.tierlimit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of a {@link SlidingWindowLimiter} check of one request: whether it was admitted, the state of
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
 * <p>Instances are immutable and thread-safe. The in-memory limiter keeps the per-limit values in one
 * array and builds {@link LimitStatus} objects only when they are read, so a decision whose statuses
 * are never read costs two small allocations.
 */
public final class Decision {

    /** The outcome of a checked request. */
    public enum Outcome {
        /** Every limit had room; the cost now counts against all of them. */
        ADMITTED,
        /** At least one limit had no room; nothing was counted, and a retry time is known. */
        REJECTED,
        /** The cost is larger than a limit's maximum, so no wait can admit it; nothing was counted. */
        COST_EXCEEDS_MAXIMUM
    }

    private static final long NO_RETRY = -1;

    private final Outcome outcome;
    private final long cost;
    private final long decidedMillis;
    private final List<Limit> limitList;
    /** Per limit {@code k}: used at {@code 2k}, reset time in epoch milliseconds at {@code 2k + 1}. */
    private final long[] values;
    private final boolean[] violatedFlags;
    private final int bindingIndex;
    private final long retryAfterMillis;
    /** Built on first read; a race builds equal lists, and either may win. */
    private List<LimitStatus> statuses;

    /**
     * Creates a decision. Limiter implementations call this; applications read decisions.
     *
     * @param outcome what happened
     * @param cost the cost of the request, at least 1
     * @param decidedAt the limiter's time of the decision, whole milliseconds
     * @param limits the status of every limit, in the order the limits were given
     * @param bindingIndex index into {@code limits} of the binding limit
     * @param retryAfter time from {@code decidedAt} until the request can be admitted; required for
     *     {@link Outcome#REJECTED} and null otherwise
     * @throws NullPointerException if a required argument is null
     * @throws IllegalArgumentException if an argument contradicts another
     */
    public Decision(Outcome outcome, long cost, Instant decidedAt, List<LimitStatus> limits, int bindingIndex,
            Duration retryAfter) {
        this(outcome, cost, Objects.requireNonNull(decidedAt, "decidedAt").toEpochMilli(), limitsOf(limits),
                valuesOf(limits), violatedOf(limits), bindingIndex,
                retryAfter == null ? NO_RETRY : checkedMillis(retryAfter));
        this.statuses = List.copyOf(limits);
    }

    /**
     * Creates a decision from per-limit values without building statuses. The arrays become owned by
     * the decision.
     */
    Decision(Outcome outcome, long cost, long decidedMillis, List<Limit> limits, long[] values, boolean[] violated,
            int bindingIndex, long retryAfterMillis) {
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        if (cost < 1) {
            throw new IllegalArgumentException("cost must be at least 1: " + cost);
        }
        if (bindingIndex < 0 || bindingIndex >= limits.size()) {
            throw new IllegalArgumentException("binding index " + bindingIndex + " is outside the "
                    + limits.size() + " limits");
        }
        boolean needsRetry = outcome == Outcome.REJECTED;
        if (needsRetry != (retryAfterMillis != NO_RETRY)) {
            throw new IllegalArgumentException("a retry time is required for REJECTED and forbidden otherwise: "
                    + outcome + ", retryAfterMillis=" + retryAfterMillis);
        }
        this.cost = cost;
        this.decidedMillis = decidedMillis;
        this.limitList = limits;
        this.values = values;
        this.violatedFlags = violated;
        this.bindingIndex = bindingIndex;
        this.retryAfterMillis = retryAfterMillis;
    }

    private static long checkedMillis(Duration retryAfter) {
        if (retryAfter.isNegative() || retryAfter.isZero()) {
            throw new IllegalArgumentException("retryAfter must be positive: " + retryAfter);
        }
        return retryAfter.toMillis();
    }

    private static List<Limit> limitsOf(List<LimitStatus> statuses) {
        List<Limit> limits = new ArrayList<>(statuses.size());
        for (LimitStatus status : statuses) {
            limits.add(status.limit());
        }
        return List.copyOf(limits);
    }

    private static long[] valuesOf(List<LimitStatus> statuses) {
        long[] values = new long[2 * statuses.size()];
        for (int k = 0; k < statuses.size(); k++) {
            values[2 * k] = statuses.get(k).used();
            values[2 * k + 1] = statuses.get(k).resetAt().toEpochMilli();
        }
        return values;
    }

    private static boolean[] violatedOf(List<LimitStatus> statuses) {
        boolean[] violated = new boolean[statuses.size()];
        for (int k = 0; k < statuses.size(); k++) {
            violated[k] = statuses.get(k).violated();
        }
        return violated;
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
        return Instant.ofEpochMilli(decidedMillis);
    }

    /** Returns the limiter's time of the decision in epoch milliseconds. */
    public long decidedAtMillis() {
        return decidedMillis;
    }

    /** Returns the status of every limit, in the order the limits were given. */
    public List<LimitStatus> limits() {
        List<LimitStatus> built = statuses;
        if (built == null) {
            LimitStatus[] array = new LimitStatus[limitList.size()];
            for (int k = 0; k < array.length; k++) {
                array[k] = status(k);
            }
            built = List.of(array);
            statuses = built;
        }
        return built;
    }

    /** Returns the limits the decision was made against, in the order given. */
    List<Limit> limitDefinitions() {
        return limitList;
    }

    /** Returns the status of the binding limit, the one rate-limit headers describe. */
    public LimitStatus binding() {
        List<LimitStatus> built = statuses;
        return built != null ? built.get(bindingIndex) : status(bindingIndex);
    }

    private LimitStatus status(int k) {
        Limit limit = limitList.get(k);
        long used = values[2 * k];
        return new LimitStatus(limit, used, Math.max(0, limit.maximum() - used), Instant.ofEpochMilli(values[2 * k + 1]),
                violatedFlags[k]);
    }

    /** Returns the limits that rejected the request; empty unless it was rejected. */
    public List<LimitStatus> violated() {
        List<LimitStatus> violated = new ArrayList<>();
        for (LimitStatus status : limits()) {
            if (status.violated()) {
                violated.add(status);
            }
        }
        return List.copyOf(violated);
    }

    /** Returns the wait from {@link #decidedAt()} until the same request would be admitted, for a rejected request. */
    public Optional<Duration> retryAfter() {
        return retryAfterMillis == NO_RETRY ? Optional.empty() : Optional.of(Duration.ofMillis(retryAfterMillis));
    }

    /** Returns the moment the same request would be admitted, for a rejected request. */
    public Optional<Instant> retryAt() {
        return retryAfterMillis == NO_RETRY ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(decidedMillis + retryAfterMillis));
    }

    @Override
    public String toString() {
        return "Decision[" + outcome + ", cost=" + cost + ", at=" + decidedAt() + ", binding="
                + limitList.get(bindingIndex).name()
                + (retryAfterMillis == NO_RETRY ? "" : ", retryAfter=" + Duration.ofMillis(retryAfterMillis))
                + ", limits=" + limits() + "]";
    }
}
