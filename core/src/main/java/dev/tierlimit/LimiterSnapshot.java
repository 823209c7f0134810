package dev.tierlimit;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The counted usage of an {@link InMemorySlidingWindowLimiter}, for saving it before a restart and
 * restoring it after, so a restart does not hand every key fresh quotas.
 *
 * <p>Immutable and thread-safe. Slot counts are absolute: a snapshot restored later (or by a limiter
 * whose clock has moved on) counts exactly what it would have counted without the restart.
 *
 * @param precision the number of slots per window of the limiter that took the snapshot
 * @param takenAt when the snapshot was taken
 * @param keys the state of every tracked key with anything counted
 */
public record LimiterSnapshot(int precision, Instant takenAt, List<KeySnapshot> keys) {

    /**
     * Validates and copies the components.
     *
     * @throws IllegalArgumentException if {@code precision} is below 1 or a window's counts do not
     *     have {@code precision + 1} entries
     */
    public LimiterSnapshot {
        Objects.requireNonNull(takenAt, "takenAt");
        keys = List.copyOf(keys);
        if (precision < 1) {
            throw new IllegalArgumentException("precision must be at least 1: " + precision);
        }
        for (KeySnapshot key : keys) {
            for (WindowSnapshot window : key.windows()) {
                if (window.counts.length != precision + 1) {
                    throw new IllegalArgumentException("window of " + window.windowMillis() + " ms for key \""
                            + key.key() + "\" has " + window.counts.length + " slot counts; precision " + precision
                            + " needs " + (precision + 1));
                }
            }
        }
    }

    /**
     * The state of one key.
     *
     * @param key the limiter key
     * @param latestMillis the latest time the key saw, in epoch milliseconds
     * @param windows one entry per window length the key tracks
     */
    public record KeySnapshot(String key, long latestMillis, List<WindowSnapshot> windows) {

        /** Validates and copies the components. */
        public KeySnapshot {
            Objects.requireNonNull(key, "key");
            windows = List.copyOf(windows);
        }
    }

    /**
     * The slot counts of one window of one key.
     *
     * @param windowMillis the window length in milliseconds
     * @param newestSlot the absolute index ({@code epochMillis / slotMillis}) of the last slot in {@code counts}
     * @param counts admitted cost per slot, oldest first, {@code precision + 1} entries, none negative
     */
    public record WindowSnapshot(long windowMillis, long newestSlot, long[] counts) {

        /**
         * Validates and copies the components.
         *
         * @throws IllegalArgumentException if the window is not positive or a count is negative
         */
        public WindowSnapshot {
            counts = counts.clone();
            if (windowMillis < 1) {
                throw new IllegalArgumentException("windowMillis must be positive: " + windowMillis);
            }
            for (long count : counts) {
                if (count < 0) {
                    throw new IllegalArgumentException("slot counts must not be negative: " + count);
                }
            }
        }

        /** Returns a copy of the counts, oldest slot first. */
        @Override
        public long[] counts() {
            return counts.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof WindowSnapshot that && windowMillis == that.windowMillis
                    && newestSlot == that.newestSlot && Arrays.equals(counts, that.counts);
        }

        @Override
        public int hashCode() {
            return Objects.hash(windowMillis, newestSlot) * 31 + Arrays.hashCode(counts);
        }

        @Override
        public String toString() {
            return "WindowSnapshot[windowMillis=" + windowMillis + ", newestSlot=" + newestSlot + ", counts="
                    + Arrays.toString(counts) + "]";
        }
    }
}
