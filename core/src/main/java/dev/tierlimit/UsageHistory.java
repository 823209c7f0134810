package dev.tierlimit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records admitted requests per account and key in hourly buckets and reports them by hour or day.
 *
 * <p>Buckets older than the retention (90 days by default) are deleted: at most once an hour, the
 * first {@link #record} of a new hour deletes them through the store. Hours and days are UTC.
 *
 * <p>Thread-safe if the store is.
 */
public final class UsageHistory {

    /** The default retention of usage buckets. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(90);

    private final UsageStore store;
    private final InstantSource clock;
    private final Duration retention;
    private final AtomicLong nextPurgeMillis = new AtomicLong(Long.MIN_VALUE);

    /**
     * Creates a history with the default retention.
     *
     * @param store where buckets live
     * @param clock the time source for recording and for the retention
     */
    public UsageHistory(UsageStore store, InstantSource clock) {
        this(store, clock, DEFAULT_RETENTION);
    }

    /**
     * Creates a history that keeps buckets for {@code retention}.
     *
     * @throws IllegalArgumentException if the retention is shorter than one hour
     */
    public UsageHistory(UsageStore store, InstantSource clock, Duration retention) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retention = Objects.requireNonNull(retention, "retention");
        if (retention.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException("usage retention must be at least one hour: " + retention);
        }
    }

    /** Returns how long buckets are kept. */
    public Duration retention() {
        return retention;
    }

    /**
     * Counts one admitted request of {@code cost} now.
     *
     * @param keyId the key that made the request, or null or empty when there was none
     * @throws IllegalArgumentException if {@code cost} is below 1
     * @throws StoreException if the store failed
     */
    public void record(String accountId, String keyId, long cost) {
        Objects.requireNonNull(accountId, "accountId");
        if (cost < 1) {
            throw new IllegalArgumentException("cost must be at least 1: " + cost);
        }
        Instant now = clock.instant();
        store.add(accountId, keyId == null ? "" : keyId, now.truncatedTo(ChronoUnit.HOURS), 1, cost);
        purgeIfDue(now);
    }

    private void purgeIfDue(Instant now) {
        long due = nextPurgeMillis.get();
        long nowMillis = now.toEpochMilli();
        if (nowMillis >= due && nextPurgeMillis.compareAndSet(due, nowMillis + Duration.ofHours(1).toMillis())) {
            store.deleteBefore(now.minus(retention).truncatedTo(ChronoUnit.HOURS));
        }
    }

    /**
     * Reports usage of an account in {@code [from, to)}, widened to whole periods: {@code from} is
     * rounded down and {@code to} up to the granularity.
     *
     * @param keyId one key's usage, or null for the whole account
     * @throws IllegalArgumentException if {@code from} is not before {@code to}, or {@code from} is
     *     older than the retention
     * @throws StoreException if the store failed
     */
    public UsageReport query(String accountId, String keyId, Instant from, Instant to, Granularity granularity) {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(granularity, "granularity");
        if (!Objects.requireNonNull(from, "from").isBefore(Objects.requireNonNull(to, "to"))) {
            throw new IllegalArgumentException("usage range start must be before its end: from=" + from + ", to=" + to);
        }
        Instant oldest = clock.instant().minus(retention).truncatedTo(ChronoUnit.HOURS);
        if (from.isBefore(oldest)) {
            throw new IllegalArgumentException("usage range starts at " + from + ", before the retention of "
                    + retention.toDays() + " days (oldest kept hour: " + oldest + "); choose a later start");
        }
        Instant start = floor(from, granularity);
        Instant end = ceil(to, granularity);
        Duration longest = retention.plus(Granularity.DAY.width());
        if (Duration.between(start, end).compareTo(longest) > 0) {
            throw new IllegalArgumentException("usage range from " + from + " to " + to + " is longer than the retention of "
                    + retention.toDays() + " days; choose an end nearer to the start");
        }
        List<UsageBucket> buckets = store.find(accountId, keyId, start, end);
        return report(accountId, keyId, start, end, granularity, buckets);
    }

    private static UsageReport report(String accountId, String keyId, Instant start, Instant end, Granularity granularity,
            List<UsageBucket> buckets) {
        long widthMillis = granularity.width().toMillis();
        int count = (int) ((end.toEpochMilli() - start.toEpochMilli()) / widthMillis);
        long[] requests = new long[count];
        long[] cost = new long[count];
        long totalRequests = 0;
        long totalCost = 0;
        for (UsageBucket bucket : buckets) {
            int index = (int) ((bucket.hourStart().toEpochMilli() - start.toEpochMilli()) / widthMillis);
            requests[index] += bucket.requests();
            cost[index] += bucket.cost();
            totalRequests += bucket.requests();
            totalCost += bucket.cost();
        }
        List<UsageReport.Point> points = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            points.add(new UsageReport.Point(start.plusMillis(i * widthMillis), requests[i], cost[i]));
        }
        return new UsageReport(accountId, keyId, start, end, granularity, points, totalRequests, totalCost);
    }

    private static Instant floor(Instant instant, Granularity granularity) {
        long width = granularity.width().toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(instant.toEpochMilli(), width) * width);
    }

    private static Instant ceil(Instant instant, Granularity granularity) {
        long width = granularity.width().toMillis();
        return Instant.ofEpochMilli(-Math.floorDiv(-instant.toEpochMilli(), width) * width);
    }
}
