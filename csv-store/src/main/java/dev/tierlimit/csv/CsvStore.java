package dev.tierlimit.csv;

import dev.tierlimit.AccountStore;
import dev.tierlimit.ApiKeyStore;
import dev.tierlimit.InMemorySlidingWindowLimiter;
import dev.tierlimit.LimiterSnapshot;
import dev.tierlimit.StoreException;
import dev.tierlimit.TierCatalog;
import dev.tierlimit.UsageStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts, API keys, usage history and limiter state kept in CSV files in one data directory.
 *
 * <h2>Files</h2>
 * <ul>
 *   <li>{@code users.csv}: {@code id,email,created_at,subscription_tier}, one record per account, plus
 *       any other columns the file already had, which are kept as they are.
 *   <li>{@code api_keys.csv}: {@code id,account_id,label,prefix,hash,created_at,last_used_at,revoked_at,expires_at}.
 *       The hash is the SHA-256 of the raw key; the raw key is never written.
 *   <li>{@code usage.csv} (and, between compactions, {@code usage-<n>.csv} segments):
 *       {@code account_id,key_id,hour_start,requests,cost}, one record per hourly bucket.
 *   <li>{@code limiter_state.csv}: the slot counts of an {@link InMemorySlidingWindowLimiter}.
 *   <li>{@code tierlimit.lock}: the lock file that keeps a second store out.
 * </ul>
 * Times are ISO-8601 in UTC ({@code 2024-05-01T12:00:00Z}); reading also accepts other zone offsets.
 * Files are UTF-8 CSV (RFC 4180); a byte-order mark and CRLF line endings are accepted and kept.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Every write replaces a whole file atomically: a temporary file in the same directory is
 *       written, forced to disk and renamed over the old one, so a crash leaves the old or the new file.
 *   <li>Account and key changes ({@code insert}, {@code updateTier}, {@code update}) are on disk when
 *       the call returns. Usage and last-used times are kept in memory and written by a background
 *       flush every {@link Builder#flushInterval flush interval} (1 second by default) and on
 *       {@link #close()}, so requests never wait for the disk. A crash loses what changed since the
 *       last successful flush.
 *   <li>A failed write throws {@link StoreException} from the call that needed it, or is logged at warn
 *       and retried by the next background flush; nothing pending is dropped from memory.
 *   <li>A malformed file stops {@link #open} with a {@link CsvFormatException} naming the file, line
 *       and column, and the file is not changed.
 *   <li>One store per directory: a second open, in this JVM or another process, throws
 *       {@link StoreLockedException}.
 * </ul>
 *
 * <p>Thread-safe: the stores it returns may be used from any number of threads. Reads are served
 * from memory.
 */
public final class CsvStore implements AutoCloseable {

    /** The default interval of the background flush of usage and last-used times. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);

    /** The default interval at which the attached limiter's state is saved. */
    public static final Duration DEFAULT_LIMITER_SAVE_INTERVAL = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(CsvStore.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration FAILURE_REPORT_INTERVAL = Duration.ofMinutes(1);

    private final Path directory;
    private final DirectoryLock directoryLock;
    private final Lifecycle lifecycle;
    private final CsvAccountStore accounts;
    private final CsvApiKeyStore apiKeys;
    private final CsvUsageStore usage;
    private final Path limiterFile;
    private final AtomicReference<InMemorySlidingWindowLimiter> attachedLimiter = new AtomicReference<>();
    private final FailureLog flushFailures = new FailureLog(LOG, "Background flush of the CSV store", FAILURE_REPORT_INTERVAL);
    private final FailureLog limiterSaveFailures = new FailureLog(LOG, "Saving the limiter state", FAILURE_REPORT_INTERVAL);
    private final ScheduledExecutorService scheduler;

    private CsvStore(Builder builder, DirectoryLock directoryLock, Lifecycle lifecycle) {
        this.directory = directoryLock.directory();
        this.directoryLock = directoryLock;
        this.lifecycle = lifecycle;
        this.accounts = AccountLoader.load(directory, builder.catalog, builder.clock.instant(), lifecycle);
        this.apiKeys = ApiKeyLoader.load(directory, lifecycle);
        this.usage = CsvUsageStore.load(directory, lifecycle);
        this.limiterFile = directory.resolve(LimiterStateFile.FILE_NAME);
        this.scheduler = startScheduler(builder);
    }

    /**
     * Opens the store in {@code dataDirectory} with the default flush intervals; see {@link Builder#open()}.
     *
     * @param dataDirectory the directory of the files; created if missing
     * @param catalog the tiers that account records may name; the default tier fills a migrated file
     * @param clock the time that names migration backups and is written into the lock file
     */
    public static CsvStore open(Path dataDirectory, TierCatalog catalog, InstantSource clock) {
        return builder(dataDirectory).catalog(catalog).clock(clock).open();
    }

    /** Returns a builder for a store in {@code dataDirectory}, with the standard tiers and the system clock. */
    public static Builder builder(Path dataDirectory) {
        return new Builder(dataDirectory);
    }

    /** Returns the accounts, kept in {@code users.csv}. */
    public AccountStore accounts() {
        return accounts;
    }

    /** Returns the API keys, kept in {@code api_keys.csv}. */
    public ApiKeyStore apiKeys() {
        return apiKeys;
    }

    /** Returns the usage buckets, kept in {@code usage.csv}. */
    public UsageStore usage() {
        return usage;
    }

    /** Returns the data directory, as a real path. */
    public Path directory() {
        return directory;
    }

    /**
     * Loads the saved limiter state into {@code limiter} and attaches it, so that the background task
     * (every {@link Builder#limiterSaveInterval limiter save interval}), {@link #flush()} and
     * {@link #close()} save its state. Call it once, before the limiter serves requests; restored
     * counts replace what the limiter counted for the same keys.
     *
     * @return the number of limiter keys restored, 0 when nothing was saved
     * @throws IllegalArgumentException if the state was saved by a limiter of another precision
     * @throws IllegalStateException if another limiter is attached or the store is closed
     * @throws CsvFormatException if {@code limiter_state.csv} is malformed; it is left as it was
     */
    public int restoreLimiter(InMemorySlidingWindowLimiter limiter) {
        Objects.requireNonNull(limiter, "limiter");
        return lifecycle.call(() -> {
            InMemorySlidingWindowLimiter attached = attachedLimiter.get();
            if (attached != null && attached != limiter) {
                throw new IllegalStateException("another limiter is already attached to the CSV store of " + directory
                        + "; one store saves the state of one limiter");
            }
            LimiterSnapshot snapshot = LimiterStateFile.read(limiterFile);
            if (snapshot != null && snapshot.precision() != limiter.precision()) {
                throw new IllegalArgumentException(limiterFile + " was saved by a limiter with precision "
                        + snapshot.precision() + ", but this limiter has precision " + limiter.precision()
                        + "; build the limiter with precision(" + snapshot.precision() + ") or delete the file to start"
                        + " every key with fresh quotas");
            }
            if (snapshot != null) {
                limiter.restore(snapshot);
                LOG.info("Restored the limiter state of {} key(s) from {}, saved at {}", snapshot.keys().size(), limiterFile,
                        snapshot.takenAt());
            }
            attachedLimiter.compareAndSet(null, limiter);
            return snapshot == null ? 0 : snapshot.keys().size();
        });
    }

    /**
     * Saves the state of {@code limiter} to {@code limiter_state.csv} now, atomically.
     *
     * @throws StoreException if the write failed; the previous file is then unchanged
     * @throws IllegalStateException if the store is closed
     */
    public void saveLimiter(InMemorySlidingWindowLimiter limiter) {
        Objects.requireNonNull(limiter, "limiter");
        lifecycle.run(() -> writeLimiterState(limiter));
    }

    private void writeLimiterState(InMemorySlidingWindowLimiter limiter) {
        LimiterSnapshot snapshot = limiter.snapshot();
        LimiterStateFile.write(limiterFile, snapshot);
        LOG.debug("Saved the limiter state of {} keys to {}", snapshot.keys().size(), limiterFile);
    }

    /**
     * Writes everything still pending now: last-used times, usage buckets and the attached limiter's
     * state. Every part is attempted even when an earlier one fails.
     *
     * @throws StoreException if a write failed; the first failure, with the others suppressed. What
     *     failed stays pending for the next flush
     * @throws IllegalStateException if the store is closed
     */
    public void flush() {
        lifecycle.run(() -> {
            StoreException failure = flushFiles(false);
            InMemorySlidingWindowLimiter limiter = attachedLimiter.get();
            if (limiter != null) {
                failure = attempt(failure, () -> writeLimiterState(limiter));
            }
            if (failure != null) {
                throw failure;
            }
        });
    }

    private StoreException flushFiles(boolean compactUsage) {
        StoreException failure = attempt(null, apiKeys::flush);
        failure = attempt(failure, accounts::flush);
        return attempt(failure, compactUsage ? usage::compact : usage::flush);
    }

    private static StoreException attempt(StoreException failure, Runnable write) {
        try {
            write.run();
            return failure;
        } catch (StoreException e) {
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
            return failure;
        }
    }

    /**
     * Stops the background flush, writes everything pending (compacting usage into {@code usage.csv}
     * and saving the attached limiter's state) and releases the directory. Calls that change data
     * and are in progress finish first; later ones throw {@link IllegalStateException}. Closing twice
     * does nothing.
     *
     * @throws StoreException if a final write failed; the directory is released all the same, and what
     *     was not written is lost
     */
    @Override
    public void close() {
        stopScheduler();
        if (!lifecycle.close()) {
            return;
        }
        StoreException failure;
        try {
            failure = flushFiles(true);
            InMemorySlidingWindowLimiter limiter = attachedLimiter.get();
            if (limiter != null) {
                failure = attempt(failure, () -> writeLimiterState(limiter));
            }
        } finally {
            directoryLock.close();
        }
        if (failure != null) {
            LOG.error("Closed the CSV store of {}, but writing its last changes failed", directory, failure);
            throw failure;
        }
        LOG.info("Closed the CSV store of {}: {} accounts, {} API keys, {} usage buckets", directory, accounts.count(),
                apiKeys.count(), usage.bucketCount());
    }

    private ScheduledExecutorService startScheduler(Builder builder) {
        boolean flushes = !builder.flushInterval.isZero();
        boolean savesLimiter = !builder.limiterSaveInterval.isZero();
        if (!flushes && !savesLimiter) {
            return null;
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "tierlimit-csv-flush " + directory.getFileName());
            thread.setDaemon(true);
            return thread;
        });
        if (flushes) {
            long millis = builder.flushInterval.toMillis();
            executor.scheduleWithFixedDelay(this::flushInBackground, millis, millis, TimeUnit.MILLISECONDS);
        }
        if (savesLimiter) {
            long millis = builder.limiterSaveInterval.toMillis();
            executor.scheduleWithFixedDelay(this::saveLimiterInBackground, millis, millis, TimeUnit.MILLISECONDS);
        }
        return executor;
    }

    private void flushInBackground() {
        try {
            StoreException failure = lifecycle.call(() -> flushFiles(false));
            if (failure == null) {
                flushFailures.succeeded();
            } else {
                flushFailures.failed(failure);
            }
        } catch (RuntimeException e) {
            // Closed meanwhile, or an unexpected bug: keep the schedule alive either way.
            if (!lifecycle.isClosed()) {
                flushFailures.failed(e);
            }
        }
    }

    private void saveLimiterInBackground() {
        InMemorySlidingWindowLimiter limiter = attachedLimiter.get();
        if (limiter == null) {
            return;
        }
        try {
            lifecycle.run(() -> writeLimiterState(limiter));
            limiterSaveFailures.succeeded();
        } catch (RuntimeException e) {
            if (!lifecycle.isClosed()) {
                limiterSaveFailures.failed(e);
            }
        }
    }

    private void stopScheduler() {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The background flush of {} did not finish within {}; closing anyway", directory, CLOSE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "CsvStore[" + directory + "]";
    }

    /**
     * Options of a {@link CsvStore}. Not thread-safe; {@link #open()} may be called more than once,
     * for different directories' builders or after the previous store was closed.
     */
    public static final class Builder {

        private final Path directory;
        private TierCatalog catalog = TierCatalog.standard();
        private InstantSource clock = InstantSource.system();
        private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
        private Duration limiterSaveInterval = DEFAULT_LIMITER_SAVE_INTERVAL;

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "dataDirectory");
        }

        /** Sets the tiers that account records may name. Default: {@link TierCatalog#standard()}. */
        public Builder catalog(TierCatalog catalog) {
            this.catalog = Objects.requireNonNull(catalog, "catalog");
            return this;
        }

        /** Sets the time source for migration backup names and the lock file. Default: the system clock. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets how often usage and last-used times are written in the background. Zero disables the
         * background flush, leaving it to {@link CsvStore#flush()} and {@link CsvStore#close()}.
         *
         * @throws IllegalArgumentException if the interval is negative or zero but shorter than a millisecond
         */
        public Builder flushInterval(Duration interval) {
            this.flushInterval = checkInterval("flushInterval", interval);
            return this;
        }

        /**
         * Sets how often the attached limiter's state is saved in the background. Zero saves it only
         * on {@link CsvStore#flush()} and {@link CsvStore#close()}; a crash then loses all counts since
         * the last of those.
         *
         * @throws IllegalArgumentException if the interval is negative or between zero and a millisecond
         */
        public Builder limiterSaveInterval(Duration interval) {
            this.limiterSaveInterval = checkInterval("limiterSaveInterval", interval);
            return this;
        }

        private static Duration checkInterval(String name, Duration interval) {
            Objects.requireNonNull(interval, name);
            if (interval.isNegative() || (!interval.isZero() && interval.toMillis() < 1)) {
                throw new IllegalArgumentException(name + " must be zero or at least 1 ms: " + interval);
            }
            return interval;
        }

        /**
         * Opens the store: locks the directory (creating it if missing), deletes temporary files that
         * a killed process left, reads every file (creating missing ones, migrating a
         * {@code users.csv} without a tier column) and starts the background flush.
         *
         * @throws StoreLockedException if another store holds the directory
         * @throws CsvFormatException if a file is malformed; the file is left as it was
         * @throws StoreException if the directory or a file cannot be read or written
         */
        public CsvStore open() {
            try {
                Files.createDirectories(directory);
            } catch (IOException e) {
                throw new StoreException("creating data directory " + directory + " failed: " + e, e);
            }
            DirectoryLock lock = DirectoryLock.acquire(directory, clock.instant());
            try {
                AtomicFiles.deleteStaleTemporaryFiles(lock.directory());
                CsvStore store = new CsvStore(this, lock, new Lifecycle(lock.directory()));
                LOG.info("Opened the CSV store of {}: {} accounts, {} API keys, {} usage buckets", store.directory,
                        store.accounts.count(), store.apiKeys.count(), store.usage.bucketCount());
                return store;
            } catch (RuntimeException e) {
                lock.close();
                throw e;
            }
        }
    }
}
