package dev.tierlimit;

import java.time.Instant;
import java.util.Objects;

/**
 * The state of one limit for one limiter key at the moment of a decision or a usage read.
 *
 * <p>{@code used} is the admitted cost that the limit currently counts, including the request just
 * admitted. {@code remaining} is {@code maximum - used}, never below zero: after a downgrade
 * {@code used} can exceed a smaller maximum. {@code resetAt} is the moment the oldest counted cost
 * leaves the window, so the next moment {@code remaining} grows; it equals the decision time when
 * nothing is counted. Instances are immutable and thread-safe.
 *
 * @param limit the limit
 * @param used admitted cost counted by the limit, zero or more
 * @param remaining cost that still fits, zero or more
 * @param resetAt when the oldest counted cost stops counting
 * @param violated whether this limit rejected the request that produced the status
 */
public record LimitStatus(Limit limit, long used, long remaining, Instant resetAt, boolean violated) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException if {@code limit} or {@code resetAt} is null
     * @throws IllegalArgumentException if {@code used} or {@code remaining} is negative
     */
    public LimitStatus {
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(resetAt, "resetAt");
        if (used < 0 || remaining < 0) {
            throw new IllegalArgumentException("used and remaining must not be negative: used=" + used
                    + ", remaining=" + remaining + " for limit \"" + limit.name() + "\"");
        }
    }

    /** Returns the limit's maximum. */
    public long maximum() {
        return limit.maximum();
    }

    /** Returns {@code used} as a percentage of the maximum, from 0 up; above 100 only after a downgrade. */
    public double percentUsed() {
        return 100.0 * used / limit.maximum();
    }
}
