package dev.tierlimit;

import java.time.Instant;
import java.util.List;

/**
 * Storage SPI for hourly usage buckets. Core ships {@link InMemoryUsageStore}.
 *
 * <p>Implementations are thread-safe and may buffer additions, as long as {@link #find} returns every
 * addition made before it. A storage failure throws {@link StoreException}.
 */
public interface UsageStore {

    /**
     * Adds to the bucket of {@code accountId} and {@code keyId} for the hour starting at {@code hourStart}.
     *
     * @param keyId the key, or the empty string for the account alone
     * @param hourStart a whole UTC hour
     */
    void add(String accountId, String keyId, Instant hourStart, long requests, long cost);

    /**
     * Returns the buckets of an account whose hour starts in {@code [from, to)}, ordered by hour and key.
     *
     * @param keyId one key's buckets, or null for all of the account's
     */
    List<UsageBucket> find(String accountId, String keyId, Instant from, Instant to);

    /** Deletes every bucket whose hour starts before {@code cutoff}; returns how many were deleted. */
    int deleteBefore(Instant cutoff);
}
