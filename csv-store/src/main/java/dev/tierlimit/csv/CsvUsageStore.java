package dev.tierlimit.csv;

import dev.tierlimit.StoreException;
import dev.tierlimit.UsageBucket;
import dev.tierlimit.UsageStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link UsageStore} of a {@link CsvStore}: hourly buckets in memory, written to disk by the
 * store's scheduled flush so that {@link #add} never waits for the disk.
 *
 * <h2>Files</h2>
 * {@code usage.csv} contains every bucket. A flush does not rewrite it: it writes the buckets that
 * changed since the previous flush to a new segment file {@code usage-<n>.csv} (atomically, like
 * every write). Once the segments hold more records than there are buckets (at least
 * {@value #MIN_SEGMENT_RECORDS_BEFORE_COMPACTION}), or number {@value #MAX_SEGMENTS}, or a
 * retention purge removed buckets, the flush rewrites {@code usage.csv} with every bucket and
 * deletes the segments. Opening and closing the store do the same, so a closed store leaves
 * {@code usage.csv} alone.
 *
 * <p>Every record holds a bucket's total so far, not an increment, and totals only grow. Loading
 * therefore takes, per bucket, the largest total found in {@code usage.csv} and the segments, which
 * is correct whichever of them a crash left behind. A crash between a compaction and the deletion of
 * the segments can bring back buckets that a retention purge had removed; the next purge removes them
 * again.
 *
 * <p>A failed flush keeps every change in memory and marks it for the next flush.
 */
final class CsvUsageStore implements UsageStore {

    static final String FILE_NAME = "usage.csv";
    static final List<String> COLUMNS = List.of("account_id", "key_id", "hour_start", "requests", "cost");
    static final int MAX_SEGMENTS = 256;
    static final int MIN_SEGMENT_RECORDS_BEFORE_COMPACTION = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(CsvUsageStore.class);
    private static final String SEGMENT_PREFIX = "usage-";
    private static final String SEGMENT_SUFFIX = ".csv";
    private static final Comparator<BucketKey> FILE_ORDER = Comparator.comparing(BucketKey::hourStart)
            .thenComparing(BucketKey::accountId).thenComparing(BucketKey::keyId);

    private record BucketKey(String accountId, String keyId, Instant hourStart) {
    }

    private final Path directory;
    private final Path file;
    private final Lifecycle lifecycle;

    /** Per bucket: index 0 counts requests, index 1 the cost. */
    private final ConcurrentHashMap<BucketKey, AtomicLongArray> buckets = new ConcurrentHashMap<>();
    private final Set<BucketKey> changedSinceFlush = ConcurrentHashMap.newKeySet();
    private volatile boolean compactionRequested;

    private final Object flushMonitor = new Object();
    /** Segment files on disk, oldest first; guarded by {@link #flushMonitor}. */
    private final List<Path> segments = new ArrayList<>();
    private long segmentRecords;
    private long nextSegmentNumber = 1;

    private CsvUsageStore(Path directory, Lifecycle lifecycle) {
        this.directory = directory;
        this.file = directory.resolve(FILE_NAME);
        this.lifecycle = lifecycle;
    }

    /**
     * Loads {@code usage.csv} and any segments a crash left, then compacts them into {@code usage.csv}.
     *
     * @throws CsvFormatException if a file is malformed or repeats a bucket
     * @throws dev.tierlimit.StoreException if reading or writing fails
     */
    static CsvUsageStore load(Path directory, Lifecycle lifecycle) {
        CsvUsageStore store = new CsvUsageStore(directory, lifecycle);
        CsvTable base = CsvFiles.readIfExists(store.file, COLUMNS);
        if (base != null) {
            store.merge(base);
        }
        for (Path segment : store.findSegments()) {
            store.merge(CsvFiles.readIfExists(segment, COLUMNS));
            store.segments.add(segment);
        }
        if (base == null || !store.segments.isEmpty()) {
            if (!store.segments.isEmpty()) {
                LOG.info("Folding {} usage segment files left by an unclean shutdown into {}", store.segments.size(),
                        store.file);
            }
            store.compact();
        }
        return store;
    }

    private List<Path> findSegments() {
        List<Path> found = new ArrayList<>();
        try (var files = Files.list(directory)) {
            files.filter(path -> segmentNumber(path) > 0).forEach(found::add);
        } catch (IOException e) {
            throw new StoreException("listing " + directory + " failed: " + e, e);
        }
        found.sort(Comparator.comparingLong(CsvUsageStore::segmentNumber));
        if (!found.isEmpty()) {
            nextSegmentNumber = segmentNumber(found.get(found.size() - 1)) + 1;
        }
        return found;
    }

    /** Returns the number in a segment file's name, or 0 when the name is not a segment's. */
    private static long segmentNumber(Path path) {
        String name = path.getFileName().toString();
        if (!name.startsWith(SEGMENT_PREFIX) || !name.endsWith(SEGMENT_SUFFIX)) {
            return 0;
        }
        String digits = name.substring(SEGMENT_PREFIX.length(), name.length() - SEGMENT_SUFFIX.length());
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
            return 0;
        }
        return Long.parseLong(digits);
    }

    private void merge(CsvTable table) {
        int[] columns = table.requireColumns(COLUMNS);
        Map<BucketKey, Long> lineByKey = new HashMap<>();
        for (CsvRow row : table.rows()) {
            UsageBucket bucket = parse(table, row, columns);
            BucketKey key = new BucketKey(bucket.accountId(), bucket.keyId(), bucket.hourStart());
            Long earlier = lineByKey.putIfAbsent(key, row.line());
            if (earlier != null) {
                throw table.error(row, columns[2], "duplicate usage bucket for account \"" + key.accountId() + "\", key \""
                        + key.keyId() + "\" and hour " + key.hourStart() + "; line " + earlier
                        + " has the same bucket. Add the counts into one record and remove the other");
            }
            AtomicLongArray counts = buckets.computeIfAbsent(key, k -> new AtomicLongArray(2));
            counts.accumulateAndGet(0, bucket.requests(), Math::max);
            counts.accumulateAndGet(1, bucket.cost(), Math::max);
        }
    }

    private static UsageBucket parse(CsvTable table, CsvRow row, int[] columns) {
        String accountId = row.cells()[columns[0]];
        if (accountId.isEmpty()) {
            throw table.error(row, columns[0], "the account id is empty; every usage bucket belongs to an account");
        }
        Instant hourStart = CsvValues.parseTime(table, row, columns[2]);
        long requests = CsvValues.parseCount(table, row, columns[3]);
        long cost = CsvValues.parseCount(table, row, columns[4]);
        try {
            return new UsageBucket(accountId, row.cells()[columns[1]], hourStart, requests, cost);
        } catch (IllegalArgumentException e) {
            throw table.error(row, columns[2], e.getMessage());
        }
    }

    /**
     * Adds to a bucket in memory; the next flush writes it.
     *
     * @throws IllegalArgumentException if {@code hourStart} is not a whole UTC hour or a count is negative
     * @throws IllegalStateException if the store is closed
     */
    @Override
    public void add(String accountId, String keyId, Instant hourStart, long requests, long cost) {
        new UsageBucket(accountId, keyId, hourStart, requests, cost);
        lifecycle.checkOpen();
        BucketKey key = new BucketKey(accountId, keyId, hourStart);
        AtomicLongArray counts = buckets.computeIfAbsent(key, k -> new AtomicLongArray(2));
        counts.addAndGet(0, requests);
        counts.addAndGet(1, cost);
        // Marked after counting, so a flush that clears the mark before reading the counts reads this addition.
        changedSinceFlush.add(key);
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

    /** Deletes buckets from memory at once; the next flush rewrites {@code usage.csv} without them. */
    @Override
    public int deleteBefore(Instant cutoff) {
        int deleted = 0;
        for (BucketKey key : buckets.keySet()) {
            if (key.hourStart().isBefore(cutoff) && buckets.remove(key) != null) {
                changedSinceFlush.remove(key);
                deleted++;
            }
        }
        if (deleted > 0) {
            compactionRequested = true;
        }
        return deleted;
    }

    /** Returns the number of buckets in memory. */
    long bucketCount() {
        return buckets.mappingCount();
    }

    /**
     * Writes the buckets that changed since the last flush, compacting when due.
     *
     * @throws dev.tierlimit.StoreException if a write failed; the changes stay marked for the next flush
     */
    void flush() {
        synchronized (flushMonitor) {
            boolean compactionDue = compactionRequested || segments.size() >= MAX_SEGMENTS
                    || segmentRecords >= Math.max(buckets.mappingCount(), MIN_SEGMENT_RECORDS_BEFORE_COMPACTION);
            if (compactionDue) {
                compact();
            } else {
                writeSegment();
            }
        }
    }

    /**
     * Rewrites {@code usage.csv} with every bucket and deletes the segment files.
     *
     * @throws dev.tierlimit.StoreException if the rewrite failed; the changes stay marked for the next flush
     */
    void compact() {
        synchronized (flushMonitor) {
            compactionRequested = false;
            List<BucketKey> drained = drainChanged();
            try {
                List<BucketKey> keys = new ArrayList<>(buckets.keySet());
                keys.sort(FILE_ORDER);
                CsvFiles.write(file, TextStyle.DEFAULT, COLUMNS, records(keys));
            } catch (RuntimeException e) {
                changedSinceFlush.addAll(drained);
                compactionRequested = true;
                throw e;
            }
            deleteSegments();
        }
    }

    private void writeSegment() {
        List<BucketKey> drained = drainChanged();
        if (drained.isEmpty()) {
            return;
        }
        drained.sort(FILE_ORDER);
        List<String[]> records = records(drained);
        Path segment = directory.resolve(String.format("%s%06d%s", SEGMENT_PREFIX, nextSegmentNumber, SEGMENT_SUFFIX));
        try {
            CsvFiles.write(segment, TextStyle.DEFAULT, COLUMNS, records);
        } catch (RuntimeException e) {
            changedSinceFlush.addAll(drained);
            throw e;
        }
        nextSegmentNumber++;
        segments.add(segment);
        segmentRecords += records.size();
    }

    private List<BucketKey> drainChanged() {
        List<BucketKey> drained = new ArrayList<>();
        for (Iterator<BucketKey> keys = changedSinceFlush.iterator(); keys.hasNext(); ) {
            drained.add(keys.next());
            keys.remove();
        }
        return drained;
    }

    /** Returns one record per bucket still in memory, in the order of {@code keys}. */
    private List<String[]> records(List<BucketKey> keys) {
        List<String[]> records = new ArrayList<>(keys.size());
        for (BucketKey key : keys) {
            AtomicLongArray counts = buckets.get(key);
            if (counts != null) {
                records.add(new String[] {key.accountId(), key.keyId(), CsvValues.formatTime(key.hourStart()),
                    Long.toString(counts.get(0)), Long.toString(counts.get(1))});
            }
        }
        return records;
    }

    private void deleteSegments() {
        for (Iterator<Path> paths = segments.iterator(); paths.hasNext(); ) {
            Path segment = paths.next();
            try {
                Files.deleteIfExists(segment);
                paths.remove();
            } catch (IOException e) {
                // Harmless to leave: loading takes the largest total per bucket, which usage.csv already has.
                LOG.warn("Deleting usage segment {} failed after compaction; the next compaction tries again", segment, e);
            }
        }
        segmentRecords = 0;
        AtomicFiles.syncDirectory(directory);
    }
}
