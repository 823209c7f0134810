package dev.tierlimit;

import java.util.Arrays;
import java.util.List;

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

    /**
     * The window index of each limit of one limit list in this layout, and each distinct window once.
     * Immutable; published to other threads through its final fields.
     */
    static final class Mapping {
        final List<Limit> limits;
        final int[] windowOf;
        final int[] distinctWindows;

        Mapping(List<Limit> limits, int[] windowOf, int[] distinctWindows) {
            this.limits = limits;
            this.windowOf = windowOf;
            this.distinctWindows = distinctWindows;
        }
    }

    /** Classes of the JDK's unmodifiable lists, which are the only lists it is safe to remember by identity. */
    private static final Class<?> SMALL_IMMUTABLE_LIST = List.of(1).getClass();
    private static final Class<?> IMMUTABLE_LIST = List.of(1, 2, 3).getClass();
    private static final int CACHED_MAPPINGS = 8;

    /**
     * Mappings of recently seen limit lists. Reads and writes race on purpose: a reader sees either a
     * complete mapping or none, and a lost write only costs a recomputation.
     */
    private final Mapping[] mappings = new Mapping[CACHED_MAPPINGS];
    private int nextReplaced;

    /**
     * Returns where each of {@code limits} is tracked in this layout, or null when a window is missing.
     * Tiers keep their limits in unmodifiable lists, so a tier's list is mapped once and then found by
     * identity, without reading any window length.
     */
    Mapping mappingFor(List<Limit> limits) {
        for (int i = 0; i < CACHED_MAPPINGS; i++) {
            Mapping cached = mappings[i];
            if (cached == null) {
                break;
            }
            if (cached.limits == limits) {
                return cached;
            }
        }
        Mapping mapping = map(limits);
        if (mapping != null && (limits.getClass() == SMALL_IMMUTABLE_LIST || limits.getClass() == IMMUTABLE_LIST)) {
            remember(mapping);
        }
        return mapping;
    }

    private Mapping map(List<Limit> limits) {
        int[] windowOf = new int[limits.size()];
        long seen = 0;
        int distinct = 0;
        for (int k = 0; k < windowOf.length; k++) {
            int w = indexOf(limits.get(k).windowMillis());
            if (w < 0) {
                return null;
            }
            windowOf[k] = w;
            if ((seen & (1L << w)) == 0) {
                seen |= 1L << w;
                distinct++;
            }
        }
        int[] distinctWindows = new int[distinct];
        int next = 0;
        for (int w = 0; w < size(); w++) {
            if ((seen & (1L << w)) != 0) {
                distinctWindows[next++] = w;
            }
        }
        return new Mapping(limits, windowOf, distinctWindows);
    }

    private void remember(Mapping mapping) {
        for (int i = 0; i < CACHED_MAPPINGS; i++) {
            if (mappings[i] == null) {
                mappings[i] = mapping;
                return;
            }
        }
        int victim = nextReplaced;
        nextReplaced = (victim + 1) % CACHED_MAPPINGS;
        mappings[victim] = mapping;
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
