package dev.tierlimit;

import java.util.Arrays;

/**
 * The window lengths one limiter key tracks, with their slot widths. Immutable and shared between
 * keys that see the same windows, so per-key state stays small.
 */
final class WindowLayout {

    /** At most this many window lengths per key; a bit mask of windows fits in one long. */
    static final int MAX_WINDOWS = 64;

    final long[] windowMillis;
    final long[] slotMillis;
    final int precision;
    final int ringSize;

    WindowLayout(long[] windowMillis, int precision) {
        if (windowMillis.length > MAX_WINDOWS) {
            throw new IllegalArgumentException("a limiter key can track at most " + MAX_WINDOWS
                    + " distinct window lengths, got " + windowMillis.length);
        }
        this.windowMillis = windowMillis.clone();
        this.slotMillis = new long[windowMillis.length];
        this.precision = precision;
        this.ringSize = precision + 1;
        for (int w = 0; w < windowMillis.length; w++) {
            slotMillis[w] = slotMillis(windowMillis[w], precision);
        }
    }

    /**
     * Returns the slot width of a window, in milliseconds.
     *
     * @throws IllegalArgumentException if the window does not divide into {@code precision} whole
     *     milliseconds
     */
    static long slotMillis(long windowMillis, int precision) {
        if (windowMillis % precision != 0) {
            throw new IllegalArgumentException("window of " + windowMillis + " ms does not divide into " + precision
                    + " whole-millisecond slots; choose a window that is a multiple of " + precision
                    + " ms or a limiter precision that divides it");
        }
        return windowMillis / precision;
    }

    int size() {
        return windowMillis.length;
    }

    /** Returns the index of a window length, or -1 when this layout does not track it. */
    int indexOf(long millis) {
        for (int w = 0; w < windowMillis.length; w++) {
            if (windowMillis[w] == millis) {
                return w;
            }
        }
        return -1;
    }

    /** Returns the key under which equal layouts are shared. */
    LayoutKey key() {
        return new LayoutKey(windowMillis);
    }

    /** Equality over window lengths, for interning layouts. */
    static final class LayoutKey {
        private final long[] windowMillis;

        LayoutKey(long[] windowMillis) {
            this.windowMillis = windowMillis;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof LayoutKey && Arrays.equals(windowMillis, ((LayoutKey) other).windowMillis);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(windowMillis);
        }
    }
}
