package dev.tierlimit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Admitted usage of an account over a time range, one point per hour or day, empty periods included.
 * Immutable and thread-safe.
 *
 * @param accountId the account
 * @param keyId the key the report is limited to, or null for all of the account's keys
 * @param from the start of the first point, inclusive
 * @param to the end of the last point, exclusive
 * @param granularity the width of each point
 * @param points one point per period of {@code [from, to)}, in time order
 * @param totalRequests the sum of the points' requests
 * @param totalCost the sum of the points' cost
 */
public record UsageReport(
        String accountId,
        String keyId,
        Instant from,
        Instant to,
        Granularity granularity,
        List<Point> points,
        long totalRequests,
        long totalCost) {

    /** Copies the points. */
    public UsageReport {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(granularity, "granularity");
        points = List.copyOf(points);
    }

    /**
     * The usage of one period.
     *
     * @param start the start of the period
     * @param requests admitted requests in the period
     * @param cost their total cost
     */
    public record Point(Instant start, long requests, long cost) {
    }
}
