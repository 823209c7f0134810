package dev.tierlimit.benchmarks;

import dev.tierlimit.Limit;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The naive exact sliding-window limiter the benchmarks compare against: per key and per limit, a
 * log of the timestamps of the admitted requests.
 *
 * <p>A check drops the timestamps that have left each window, admits the request when every log
 * contains fewer entries than its maximum, and then appends the current time to every log. It is exact
 * and, per check, cheap; its cost is memory, which grows with the number of admitted requests: 8
 * bytes per request per window, plus the slack of a log that doubles when full. Timestamps are
 * primitive {@code long}s, the leanest form of this design; a deque of boxed {@code Long}s would
 * need more.
 *
 * <p>Thread-safe: each key's logs are guarded by that key's monitor.
 */
final class SlidingLog {

    private final List<Limit> limits;
    private final long[] windowMillis;
    private final long[] maxima;
    private final InstantSource clock;
    private final ConcurrentHashMap<String, KeyLogs> logs = new ConcurrentHashMap<>();

    SlidingLog(List<Limit> limits, InstantSource clock) {
        this.limits = List.copyOf(limits);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.windowMillis = new long[limits.size()];
        this.maxima = new long[limits.size()];
        for (int w = 0; w < limits.size(); w++) {
            windowMillis[w] = limits.get(w).windowMillis();
            maxima[w] = limits.get(w).maximum();
        }
    }

    /** Checks one request for {@code key} and logs it when every limit has room. */
    boolean tryConsume(String key) {
        long nowMillis = clock.millis();
        KeyLogs keyLogs = logs.get(key);
        if (keyLogs == null) {
            keyLogs = logs.computeIfAbsent(key, k -> new KeyLogs(limits.size()));
        }
        synchronized (keyLogs) {
            for (int w = 0; w < windowMillis.length; w++) {
                keyLogs.windows[w].dropUpTo(nowMillis - windowMillis[w]);
            }
            for (int w = 0; w < windowMillis.length; w++) {
                if (keyLogs.windows[w].size() >= maxima[w]) {
                    return false;
                }
            }
            for (int w = 0; w < windowMillis.length; w++) {
                keyLogs.windows[w].append(nowMillis);
            }
            return true;
        }
    }

    /** Empties every key's logs and keeps the keys tracked. */
    void clearLogs() {
        for (KeyLogs keyLogs : logs.values()) {
            synchronized (keyLogs) {
                for (TimestampRing window : keyLogs.windows) {
                    window.clear();
                }
            }
        }
    }

    /** Returns the number of timestamps logged for {@code key} in each window, in the order of the limits. */
    long[] logSizes(String key) {
        long[] sizes = new long[windowMillis.length];
        KeyLogs keyLogs = logs.get(key);
        if (keyLogs != null) {
            synchronized (keyLogs) {
                for (int w = 0; w < sizes.length; w++) {
                    sizes[w] = keyLogs.windows[w].size();
                }
            }
        }
        return sizes;
    }

    private static final class KeyLogs {
        final TimestampRing[] windows;

        KeyLogs(int windowCount) {
            windows = new TimestampRing[windowCount];
            for (int w = 0; w < windowCount; w++) {
                windows[w] = new TimestampRing();
            }
        }
    }

    /** A first-in first-out queue of timestamps in a ring that doubles when full. Not thread-safe. */
    static final class TimestampRing {
        private static final int INITIAL_CAPACITY = 8;

        private long[] entries = new long[INITIAL_CAPACITY];
        private int head;
        private int size;

        int size() {
            return size;
        }

        void append(long timestamp) {
            if (size == entries.length) {
                grow();
            }
            entries[(head + size) & (entries.length - 1)] = timestamp;
            size++;
        }

        /** Removes the timestamps at or before {@code cutoff}, which are at the front while the clock never steps back. */
        void dropUpTo(long cutoff) {
            while (size > 0 && entries[head] <= cutoff) {
                head = (head + 1) & (entries.length - 1);
                size--;
            }
        }

        void clear() {
            head = 0;
            size = 0;
        }

        private void grow() {
            long[] larger = new long[entries.length * 2];
            int firstPart = entries.length - head;
            System.arraycopy(entries, head, larger, 0, firstPart);
            System.arraycopy(entries, 0, larger, firstPart, head);
            entries = larger;
            head = 0;
        }
    }
}
