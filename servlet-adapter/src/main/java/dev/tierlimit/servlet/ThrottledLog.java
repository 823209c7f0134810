package dev.tierlimit.servlet;

import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Logs warnings at most once per interval for each kind of failure, so that a store outage under load
 * writes one line per interval instead of one per request. The next line of a kind states how many were
 * suppressed before it. Thread-safe.
 */
final class ThrottledLog {

    /** The shortest time between two warnings of one kind. */
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private final Logger logger;
    private final InstantSource clock;
    private final ConcurrentHashMap<String, KindState> kinds = new ConcurrentHashMap<>();

    private static final class KindState {
        long nextAllowedMillis = Long.MIN_VALUE;
        long suppressed;
    }

    ThrottledLog(Logger logger, InstantSource clock) {
        this.logger = logger;
        this.clock = clock;
    }

    /**
     * Logs {@code message} with {@code cause} at warn level unless a warning of {@code kind} was logged
     * less than {@link #INTERVAL} ago, in which case it only counts it.
     */
    void warn(String kind, String message, Throwable cause) {
        KindState state = kinds.computeIfAbsent(kind, k -> new KindState());
        long nowMillis = clock.millis();
        long suppressed;
        synchronized (state) {
            if (nowMillis < state.nextAllowedMillis) {
                state.suppressed++;
                return;
            }
            suppressed = state.suppressed;
            state.suppressed = 0;
            state.nextAllowedMillis = nowMillis + INTERVAL.toMillis();
        }
        if (suppressed > 0) {
            message = message + " (" + suppressed + " similar warnings suppressed since the last one)";
        }
        logger.warn(message, cause);
    }
}
