package dev.tierlimit;

import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Checks admissions against an exact sliding log: every admitted request is kept with its time, and
 * at each admission the cost admitted in the interval {@code (t - W, t]} must be at most the maximum
 * of each limit of that request. This is the guarantee the slotted counters approximate from the
 * safe side, so it must hold for any correct limiter regardless of slot layout.
 *
 * <p>Times are the limiter's decision times, which never go backwards for a key while the key is
 * remembered. A key that is reset or evicted starts a new history, so its log is dropped then.
 */
final class SlidingLogChecker {

    /** One admitted request: its decision time, cost and the window lengths it counted in. */
    private record Admission(long atMillis, long cost, Set<Long> windows) {
    }

    private final Map<String, Deque<Admission>> admissions = new HashMap<>();
    private long longestWindowMillis;

    /**
     * Checks and records an admission.
     *
     * @param context the text that names the run and step on failure
     */
    void admitted(String key, List<Limit> limits, long cost, long atMillis, Supplier<String> context) {
        Deque<Admission> log = admissions.computeIfAbsent(key, k -> new ArrayDeque<>());
        Set<Long> windows = new HashSet<>();
        for (Limit limit : limits) {
            long window = limit.windowMillis();
            windows.add(window);
            longestWindowMillis = Math.max(longestWindowMillis, window);
            long inWindow = cost;
            for (Admission earlier : log) {
                if (earlier.windows().contains(window) && earlier.atMillis() > atMillis - window
                        && earlier.atMillis() <= atMillis) {
                    inWindow += earlier.cost();
                }
            }
            if (inWindow > limit.maximum()) {
                fail("%s: sliding log: cost %d admitted in the %d ms up to %d exceeds limit %s",
                        context.get(), inWindow, window, atMillis, limit);
            }
        }
        log.addLast(new Admission(atMillis, cost, windows));
        // Later admissions are no earlier than this one, so older entries can never count again.
        while (log.peekFirst().atMillis() <= atMillis - longestWindowMillis) {
            log.removeFirst();
        }
    }

    /** Drops the history of a key that the limiter forgot. */
    void forget(String key) {
        admissions.remove(key);
    }
}
