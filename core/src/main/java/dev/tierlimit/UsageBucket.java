package dev.tierlimit;

import java.time.Instant;
import java.util.Objects;

/**
 * Admitted requests of one account and one key in one UTC hour. Immutable and thread-safe.
 *
 * @param accountId the account
 * @param keyId the API key, or the empty string for requests the host attributed to the account alone
 * @param hourStart the start of the hour, a whole UTC hour
 * @param requests the number of admitted requests, zero or more
 * @param cost their total cost, zero or more
 */
public record UsageBucket(String accountId, String keyId, Instant hourStart, long requests, long cost) {

    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException if {@code hourStart} is not a whole hour or a count is negative
     */
    public UsageBucket {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(hourStart, "hourStart");
        if (hourStart.toEpochMilli() % 3_600_000 != 0 || hourStart.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("usage bucket must start on a whole UTC hour: " + hourStart);
        }
        if (requests < 0 || cost < 0) {
            throw new IllegalArgumentException("usage counts must not be negative: requests=" + requests + ", cost=" + cost);
        }
    }
}
