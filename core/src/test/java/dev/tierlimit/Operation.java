package dev.tierlimit;

import java.util.List;

/**
 * One step of a generated workload. Steps are generated ahead of time, independent of any
 * limiter's decisions, so a run can be replayed step by step into another limiter.
 *
 * @param kind what the step calls
 * @param clockMillis the clock reading for the step, in epoch milliseconds
 * @param key the limiter key; unused by {@link Kind#EVICT} and {@link Kind#SNAPSHOT_RESTORE}
 * @param limits the limits passed to the call
 * @param cost the request cost; 1 for {@link Kind#ACQUIRE_DEFAULT_COST}
 */
record Operation(Kind kind, long clockMillis, String key, List<Limit> limits, long cost) {

    /** The limiter call a step makes. */
    enum Kind {
        /** {@code tryAcquire(key, limits, cost)}. */
        ACQUIRE,
        /** {@code tryAcquire(key, limits)}, the overload with cost 1. */
        ACQUIRE_DEFAULT_COST,
        /** {@code tryConsume(key, limits, cost)}. */
        CONSUME,
        /** {@code usage(key, limits)}. */
        USAGE,
        /** {@code reset(key)}. */
        RESET,
        /** {@link InMemorySlidingWindowLimiter#evictIdle()}; generated only for the in-memory limiter. */
        EVICT,
        /**
         * A snapshot restored into a new in-memory limiter that replaces the old one; generated only
         * for the in-memory limiter.
         */
        SNAPSHOT_RESTORE
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(kind.name()).append(" at ").append(clockMillis);
        if (kind != Kind.EVICT && kind != Kind.SNAPSHOT_RESTORE) {
            text.append(" key=").append(key);
        }
        if (kind == Kind.ACQUIRE || kind == Kind.CONSUME) {
            text.append(" cost=").append(cost);
        }
        if (limits != null && kind != Kind.RESET && kind != Kind.EVICT && kind != Kind.SNAPSHOT_RESTORE) {
            text.append(" limits=");
            for (Limit limit : limits) {
                text.append(limit.name()).append('/').append(limit.windowMillis()).append("ms/")
                        .append(limit.maximum()).append(' ');
            }
        }
        return text.toString().trim();
    }
}
