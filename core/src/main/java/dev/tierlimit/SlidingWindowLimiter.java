package dev.tierlimit;

import java.util.List;

/**
 * Checks requests against several sliding-window limits at once and counts the admitted ones.
 *
 * <h2>Semantics</h2>
 * Each limit's window of length {@code W} is cut into {@link #precision() N} slots of width
 * {@code W / N}, aligned to the Unix epoch. A request of cost {@code c} at time {@code t} is
 * admitted when, for every limit, the admitted cost in the slot containing {@code t} and the
 * {@code N} slots before it, plus {@code c}, is at most the maximum. Consequences:
 * <ul>
 *   <li>In any interval of length {@code W} the admitted cost is at most the maximum. A request
 *       admitted at time {@code a} counts until the end of the slot that contains {@code a + W}:
 *       at most one slot longer than an exact sliding log would count it.
 *   <li>A request that any limit rejects counts against none.
 *   <li>A rejected request carries the exact wait until it would be admitted.
 *   <li>A cost larger than a limit's maximum is rejected at once with
 *       {@link Decision.Outcome#COST_EXCEEDS_MAXIMUM}.
 *   <li>When the clock steps backwards, a key's time stays at the latest time it saw, so nothing is
 *       released early.
 * </ul>
 * Usage is tracked per window length, not per limit name: a tier change that keeps the window
 * lengths keeps the usage, and only the maxima change.
 *
 * <h2>Thread safety</h2>
 * Implementations are thread-safe, and calls for one key are linearizable: under any number of
 * threads exactly the maximum is admitted in a window.
 *
 * <h2>Errors</h2>
 * A null key or limit list throws {@link NullPointerException}; an empty limit list, a cost below 1,
 * or a window that is not a whole multiple of {@code N} milliseconds throws
 * {@link IllegalArgumentException}; a backend failure throws {@link LimiterUnavailableException}.
 */
public interface SlidingWindowLimiter {

    /**
     * Checks a request of cost {@code cost} for {@code key} against every limit and counts it when
     * all of them have room.
     *
     * @param key the limiter key, for example an account id
     * @param limits the limits that apply, at least one
     * @param cost the cost of the request, at least 1
     * @return the decision; never null
     * @throws LimiterUnavailableException if the backend failed; nothing was counted
     */
    Decision tryAcquire(String key, List<Limit> limits, long cost);

    /** Checks a request of cost 1; see {@link #tryAcquire(String, List, long)}. */
    default Decision tryAcquire(String key, List<Limit> limits) {
        return tryAcquire(key, limits, 1);
    }

    /**
     * Checks and counts like {@link #tryAcquire(String, List, long)} but returns only whether the
     * request was admitted. Implementations may make this path cheaper, for example free of
     * allocation.
     *
     * @throws LimiterUnavailableException if the backend failed; nothing was counted
     */
    default boolean tryConsume(String key, List<Limit> limits, long cost) {
        return tryAcquire(key, limits, cost).admitted();
    }

    /**
     * Reads the status of every limit for {@code key} without counting anything. An unknown key
     * has nothing used.
     *
     * @return one status per limit, in the order given; none is marked violated
     * @throws LimiterUnavailableException if the backend failed
     */
    List<LimitStatus> usage(String key, List<Limit> limits);

    /**
     * Forgets everything counted for {@code key}.
     *
     * @throws LimiterUnavailableException if the backend failed
     */
    void reset(String key);

    /** Returns the number of slots per window. */
    int precision();
}
