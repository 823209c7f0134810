package dev.tierlimit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * A deliberately plain implementation of the slotted sliding-window semantics, used as the expected
 * side of randomized comparisons. It favours being obviously right over being fast: usage is summed
 * slot by slot on every call, and a retry time is found by trying each later slot boundary in turn.
 *
 * <p>The rules it encodes, with {@code s = W / N} and slot index {@code floorDiv(millis, s)}:
 * <ul>
 *   <li>A key's time is the latest clock reading it has seen, so a clock step back changes nothing.
 *       The key keeps that time until it is reset or, in runs that model it, evicted.
 *   <li>Used cost of a window at slot {@code i} is the cost admitted in slots {@code i - N .. i}.
 *   <li>An admitted cost is added once per distinct window length of the request's limits.
 *   <li>resetAt is {@code (j + N + 1) * s} for the oldest slot {@code j} with cost, else the key's time.
 *   <li>The binding limit of a rejection is the violated one with the latest retry time, and of an
 *       admission the one with the least remaining. For a cost above some maximum it is the limit
 *       with the smallest maximum below the cost, and exactly those limits are marked violated.
 *       Ties go to the limit listed first.
 * </ul>
 *
 * <p>Not thread-safe; the clock is passed to each call.
 */
final class ReferenceLimiter {

    private final int precision;
    private final Map<String, KeyHistory> keys = new HashMap<>();

    /** The time and admitted cost per window length and slot index of one key. */
    private static final class KeyHistory {
        long latestMillis;
        final Map<Long, NavigableMap<Long, Long>> costBySlot = new HashMap<>();
    }

    ReferenceLimiter(int precision) {
        this.precision = precision;
    }

    Decision tryAcquire(String key, List<Limit> limits, long cost, long clockMillis) {
        KeyHistory history = keys.get(key);
        long now = history == null ? clockMillis : Math.max(clockMillis, history.latestMillis);

        boolean costTooLarge = false;
        for (Limit limit : limits) {
            costTooLarge |= cost > limit.maximum();
        }
        if (costTooLarge) {
            if (history != null) {
                history.latestMillis = now;
            }
            return costExceedsMaximum(history, limits, cost, now);
        }

        if (history == null) {
            history = new KeyHistory();
            keys.put(key, history);
        }
        history.latestMillis = now;

        if (fits(history, limits, cost, now)) {
            for (long window : distinctWindows(limits)) {
                NavigableMap<Long, Long> slots = history.costBySlot.computeIfAbsent(window, w -> new TreeMap<>());
                slots.merge(slotIndex(now, window), cost, Long::sum);
            }
            List<LimitStatus> statuses = statuses(history, limits, now);
            return new Decision(Decision.Outcome.ADMITTED, cost, Instant.ofEpochMilli(now), statuses,
                    leastRemaining(statuses), null);
        }

        long[] retryMillis = new long[limits.size()];
        int binding = -1;
        for (int k = 0; k < limits.size(); k++) {
            Limit limit = limits.get(k);
            if (used(history, limit.windowMillis(), now) + cost > limit.maximum()) {
                retryMillis[k] = earliestFit(history, limit, cost, now);
                if (binding < 0 || retryMillis[k] > retryMillis[binding]) {
                    binding = k;
                }
            }
        }
        long retryAt = retryMillis[binding];
        // Taking the latest retry time over the violated limits is right only if the whole request
        // fits then and not a millisecond before. Checking it here keeps a flaw in that reasoning visible.
        if (!fits(history, limits, cost, retryAt) || fits(history, limits, cost, retryAt - 1)) {
            throw new IllegalStateException("reference model: retry time " + retryAt + " is not exact for " + limits);
        }
        List<LimitStatus> statuses = new ArrayList<>();
        for (int k = 0; k < limits.size(); k++) {
            statuses.add(status(history, limits.get(k), now, retryMillis[k] != 0));
        }
        return new Decision(Decision.Outcome.REJECTED, cost, Instant.ofEpochMilli(now), statuses, binding,
                Duration.ofMillis(retryAt - now));
    }

    List<LimitStatus> usage(String key, List<Limit> limits, long clockMillis) {
        KeyHistory history = keys.get(key);
        if (history == null) {
            return statuses(null, limits, clockMillis);
        }
        history.latestMillis = Math.max(clockMillis, history.latestMillis);
        return statuses(history, limits, history.latestMillis);
    }

    void reset(String key) {
        keys.remove(key);
    }

    /**
     * Forgets every key with no cost counted in any window at its time, as eviction and snapshots do,
     * and moves every other key's time up to the clock.
     *
     * @return the forgotten keys
     */
    Set<String> evictIdle(long clockMillis) {
        Set<String> evicted = new LinkedHashSet<>();
        Iterator<Map.Entry<String, KeyHistory>> entries = keys.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<String, KeyHistory> entry = entries.next();
            KeyHistory history = entry.getValue();
            history.latestMillis = Math.max(clockMillis, history.latestMillis);
            boolean idle = true;
            for (long window : history.costBySlot.keySet()) {
                idle &= used(history, window, history.latestMillis) == 0;
            }
            if (idle) {
                entries.remove();
                evicted.add(entry.getKey());
            }
        }
        return evicted;
    }

    private Decision costExceedsMaximum(KeyHistory history, List<Limit> limits, long cost, long now) {
        List<LimitStatus> statuses = new ArrayList<>();
        int binding = -1;
        for (int k = 0; k < limits.size(); k++) {
            Limit limit = limits.get(k);
            boolean violated = cost > limit.maximum();
            statuses.add(status(history, limit, now, violated));
            if (violated && (binding < 0 || limit.maximum() < limits.get(binding).maximum())) {
                binding = k;
            }
        }
        return new Decision(Decision.Outcome.COST_EXCEEDS_MAXIMUM, cost, Instant.ofEpochMilli(now), statuses,
                binding, null);
    }

    /** Returns the first slot boundary after {@code now} at which {@code limit} has room for {@code cost}. */
    private long earliestFit(KeyHistory history, Limit limit, long cost, long now) {
        long window = limit.windowMillis();
        long slotMillis = window / precision;
        long current = slotIndex(now, window);
        for (long slot = current + 1; slot <= current + precision + 1; slot++) {
            long boundary = slot * slotMillis;
            if (used(history, window, boundary) + cost <= limit.maximum()) {
                return boundary;
            }
        }
        throw new IllegalStateException("reference model: no room for cost " + cost + " in " + limit
                + " even after the whole window");
    }

    private boolean fits(KeyHistory history, List<Limit> limits, long cost, long atMillis) {
        for (Limit limit : limits) {
            if (used(history, limit.windowMillis(), atMillis) + cost > limit.maximum()) {
                return false;
            }
        }
        return true;
    }

    /** Sums the cost admitted in the slot containing {@code atMillis} and the {@code N} slots before it. */
    private long used(KeyHistory history, long window, long atMillis) {
        NavigableMap<Long, Long> slots = history == null ? null : history.costBySlot.get(window);
        if (slots == null) {
            return 0;
        }
        long current = slotIndex(atMillis, window);
        long sum = 0;
        for (long cost : slots.subMap(current - precision, true, current, true).values()) {
            sum += cost;
        }
        return sum;
    }

    private List<LimitStatus> statuses(KeyHistory history, List<Limit> limits, long now) {
        List<LimitStatus> statuses = new ArrayList<>();
        for (Limit limit : limits) {
            statuses.add(status(history, limit, now, false));
        }
        return statuses;
    }

    private LimitStatus status(KeyHistory history, Limit limit, long now, boolean violated) {
        long window = limit.windowMillis();
        long used = used(history, window, now);
        long resetAt = now;
        NavigableMap<Long, Long> slots = history == null ? null : history.costBySlot.get(window);
        if (slots != null) {
            long current = slotIndex(now, window);
            NavigableMap<Long, Long> counted = slots.subMap(current - precision, true, current, true);
            if (!counted.isEmpty()) {
                resetAt = (counted.firstKey() + precision + 1) * (window / precision);
            }
        }
        return new LimitStatus(limit, used, Math.max(0, limit.maximum() - used), Instant.ofEpochMilli(resetAt),
                violated);
    }

    private static int leastRemaining(List<LimitStatus> statuses) {
        int least = 0;
        for (int k = 1; k < statuses.size(); k++) {
            if (statuses.get(k).remaining() < statuses.get(least).remaining()) {
                least = k;
            }
        }
        return least;
    }

    private static Set<Long> distinctWindows(List<Limit> limits) {
        Set<Long> windows = new LinkedHashSet<>();
        for (Limit limit : limits) {
            windows.add(limit.windowMillis());
        }
        return windows;
    }

    private long slotIndex(long millis, long window) {
        return Math.floorDiv(millis, window / precision);
    }
}
