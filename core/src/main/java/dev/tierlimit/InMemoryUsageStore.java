package dev.tierlimit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/** A {@link UsageStore} in a map. Thread-safe; additions are visible at once. */
public final class InMemoryUsageStore implements UsageStore {

    private record BucketKey(String accountId, String keyId, Instant hourStart) {
    }

    /** Per bucket: index 0 counts requests, index 1 the cost. */
    private final ConcurrentHashMap<BucketKey, AtomicLongArray> buckets = new ConcurrentHashMap<>();

    @Override
    public void add(String accountId, String keyId, Instant hourStart, long requests, long cost) {
        new UsageBucket(accountId, keyId, hourStart, requests, cost);
        AtomicLongArray counts = buckets.computeIfAbsent(new BucketKey(accountId, keyId, hourStart),
                key -> new AtomicLongArray(2));
        counts.addAndGet(0, requests);
        counts.addAndGet(1, cost);
    }

    @Override
    public List<UsageBucket> find(String accountId, String keyId, Instant from, Instant to) {
        List<UsageBucket> result = new ArrayList<>();
        for (Map.Entry<BucketKey, AtomicLongArray> entry : buckets.entrySet()) {
            BucketKey key = entry.getKey();
            boolean matches = key.accountId().equals(accountId) && (keyId == null || key.keyId().equals(keyId))
                    && !key.hourStart().isBefore(from) && key.hourStart().isBefore(to);
            if (matches) {
                AtomicLongArray counts = entry.getValue();
                result.add(new UsageBucket(key.accountId(), key.keyId(), key.hourStart(), counts.get(0), counts.get(1)));
            }
        }
        result.sort(Comparator.comparing(UsageBucket::hourStart).thenComparing(UsageBucket::keyId));
        return result;
    }

    @Override
    public int deleteBefore(Instant cutoff) {
        int deleted = 0;
        for (BucketKey key : buckets.keySet()) {
            if (key.hourStart().isBefore(cutoff) && buckets.remove(key) != null) {
                deleted++;
            }
        }
        return deleted;
    }
}
