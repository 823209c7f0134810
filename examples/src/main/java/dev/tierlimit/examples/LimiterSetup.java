package dev.tierlimit.examples;

import dev.tierlimit.InMemorySlidingWindowLimiter;
import dev.tierlimit.LimiterUnavailableException;
import dev.tierlimit.SlidingWindowLimiter;
import dev.tierlimit.TierCatalog;
import dev.tierlimit.csv.CsvStore;
import dev.tierlimit.redis.RedisSlidingWindowLimiter;
import java.time.Duration;
import java.time.InstantSource;

/**
 * The limiter the server counts requests with: in memory, its state saved in the data directory, or
 * in Redis, where several servers share one set of limits and the state outlives every server.
 */
final class LimiterSetup implements AutoCloseable {

    /** How long startup waits for a reply from Redis before it fails. */
    static final Duration REDIS_STARTUP_WAIT = Duration.ofSeconds(3);

    private static final Duration REDIS_RETRY_PAUSE = Duration.ofMillis(100);
    /** A limiter key that no account has; reading it checks Redis and creates nothing. */
    private static final String PROBE_KEY = "tierlimit-example:startup-check";

    private final SlidingWindowLimiter limiter;
    private final String kind;
    private final String description;

    private LimiterSetup(SlidingWindowLimiter limiter, String kind, String description) {
        this.limiter = limiter;
        this.kind = kind;
        this.description = description;
    }

    /**
     * Creates an in-memory limiter on {@code clock} and loads the state that {@code store} saved; the
     * store saves it again when it closes.
     */
    static LimiterSetup inMemory(CsvStore store, InstantSource clock) {
        InMemorySlidingWindowLimiter limiter = InMemorySlidingWindowLimiter.builder().clock(clock).build();
        int restored = store.restoreLimiter(limiter);
        return new LimiterSetup(limiter, "in-memory", "in-memory, precision " + limiter.precision()
                + ", limiter keys restored from the data directory: " + restored);
    }

    /**
     * Connects a Redis limiter, which reads time from the Redis server, and waits until Redis replies.
     *
     * @throws IllegalStateException if Redis does not reply within {@link #REDIS_STARTUP_WAIT}
     */
    static LimiterSetup redis(String uri, String keyPrefix, TierCatalog catalog) {
        RedisSlidingWindowLimiter limiter = RedisSlidingWindowLimiter.builder().uri(uri).keyPrefix(keyPrefix).build();
        try {
            awaitRedis(limiter, catalog);
        } catch (RuntimeException e) {
            limiter.close();
            throw e;
        }
        return new LimiterSetup(limiter, "redis", "Redis (" + limiter + ")");
    }

    /** Reads a key that does not exist until a read succeeds, because the first call also connects. */
    private static void awaitRedis(RedisSlidingWindowLimiter limiter, TierCatalog catalog) {
        long deadline = System.nanoTime() + REDIS_STARTUP_WAIT.toNanos();
        while (true) {
            try {
                limiter.usage(PROBE_KEY, catalog.defaultTier().limits());
                return;
            } catch (LimiterUnavailableException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new IllegalStateException(e.getMessage() + "; Redis did not reply within "
                            + REDIS_STARTUP_WAIT.toSeconds() + " s. Start Redis, or leave out --redis to count"
                            + " requests in memory.", e);
                }
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(REDIS_RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Redis", e);
        }
    }

    SlidingWindowLimiter limiter() {
        return limiter;
    }

    /** Returns {@code in-memory} or {@code redis}. */
    String kind() {
        return kind;
    }

    /** Returns a one-line description for the startup log; it never contains a Redis password. */
    String description() {
        return description;
    }

    /** Closes the Redis connection. An in-memory limiter's state is saved by the store instead. */
    @Override
    public void close() {
        if (limiter instanceof RedisSlidingWindowLimiter) {
            ((RedisSlidingWindowLimiter) limiter).close();
        }
    }
}
