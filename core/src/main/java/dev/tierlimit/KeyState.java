package dev.tierlimit;

import java.util.Arrays;

/**
 * The slot counters of one limiter key, one ring of {@code precision + 1} slots per window length.
 *
 * <p>Not thread-safe: the limiter owns this object's monitor during every call. The ring of a
 * window contains the slot containing {@link #advancedMillis} (at {@code cursor}) and the
 * {@code precision} slots before it; moving time forward clears the slots that leave the window.
 * Counters are {@code int}s until a slot would exceed {@link Integer#MAX_VALUE}, then all of them
 * widen to {@code long}s, which keeps the common case under 1 KiB per key with three windows.
 * Per window the state keeps the total of its ring and the absolute index of the oldest slot with a
 * non-zero count, so decisions need no scan of the ring.
 */
final class KeyState {

    private static final int SUM = 0;
    private static final int OLDEST = 1;
    private static final int CURSOR = 2;
    private static final int FIELDS = 3;
    private static final long NONE = Long.MIN_VALUE;

    WindowLayout layout;
    private long[] meta;
    private int[] counts;
    private long[] wideCounts;
    /** The latest time this key has seen, in epoch milliseconds; clock steps back never lower it. */
    long advancedMillis;
    /** The earliest time at which some window moves to its next slot. */
    private long nextBoundaryMillis;
    /** Set when the key is evicted or reset; a caller holding a retired state must look up again. */
    boolean retired;

    KeyState(WindowLayout layout, long nowMillis) {
        this.layout = layout;
        this.meta = new long[FIELDS * layout.size()];
        this.counts = new int[layout.ringSize * layout.size()];
        this.advancedMillis = nowMillis;
        for (int w = 0; w < layout.size(); w++) {
            initWindow(w);
        }
        this.nextBoundaryMillis = nextBoundary(nowMillis);
    }

    private void initWindow(int w) {
        meta[w * FIELDS + SUM] = 0;
        meta[w * FIELDS + OLDEST] = NONE;
        meta[w * FIELDS + CURSOR] = Math.floorMod(headSlot(w), layout.ringSize);
    }

    /** Adds window lengths that {@code wider} has and this state lacks; {@code wider} extends the current layout. */
    void extendTo(WindowLayout wider) {
        int oldWindows = layout.size();
        int ring = layout.ringSize;
        meta = Arrays.copyOf(meta, FIELDS * wider.size());
        if (counts != null) {
            counts = Arrays.copyOf(counts, ring * wider.size());
        } else {
            wideCounts = Arrays.copyOf(wideCounts, ring * wider.size());
        }
        layout = wider;
        for (int w = oldWindows; w < wider.size(); w++) {
            initWindow(w);
        }
        nextBoundaryMillis = nextBoundary(advancedMillis);
    }

    /** Moves this key's time to {@code nowMillis}, which is at least {@link #advancedMillis}. */
    void advanceTo(long nowMillis) {
        if (nowMillis >= nextBoundaryMillis) {
            for (int w = 0; w < layout.size(); w++) {
                advanceWindow(w, nowMillis);
            }
            nextBoundaryMillis = nextBoundary(nowMillis);
        }
        advancedMillis = nowMillis;
    }

    private void advanceWindow(int w, long nowMillis) {
        long slot = layout.slotMillis[w];
        long steps = Math.floorDiv(nowMillis, slot) - Math.floorDiv(advancedMillis, slot);
        if (steps <= 0) {
            return;
        }
        int ring = layout.ringSize;
        int base = w * ring;
        int m = w * FIELDS;
        if (steps >= ring) {
            for (int i = 0; i < ring; i++) {
                clear(base + i);
            }
            meta[m + SUM] = 0;
            meta[m + OLDEST] = NONE;
            meta[m + CURSOR] = Math.floorMod(Math.floorDiv(nowMillis, slot), ring);
            return;
        }

        // Each step reuses the cell of the slot that has just left the window.
        int cursor = (int) meta[m + CURSOR];
        long sum = meta[m + SUM];
        for (long i = 0; i < steps; i++) {
            cursor = cursor + 1 == ring ? 0 : cursor + 1;
            sum -= count(base + cursor);
            clear(base + cursor);
        }
        meta[m + CURSOR] = cursor;
        meta[m + SUM] = sum;

        long firstInWindow = Math.floorDiv(nowMillis, slot) - layout.precision;
        if (meta[m + OLDEST] != NONE && meta[m + OLDEST] < firstInWindow) {
            meta[m + OLDEST] = sum == 0 ? NONE : findOldest(w, Math.floorDiv(nowMillis, slot));
        }
    }

    private long findOldest(int w, long head) {
        int ring = layout.ringSize;
        int base = w * ring;
        int cursor = (int) meta[w * FIELDS + CURSOR];
        for (int i = 0; i < ring; i++) {
            int cell = cursor + 1 + i;
            if (cell >= ring) {
                cell -= ring;
            }
            if (count(base + cell) != 0) {
                return head - layout.precision + i;
            }
        }
        return NONE;
    }

    private long nextBoundary(long nowMillis) {
        long next = Long.MAX_VALUE;
        for (int w = 0; w < layout.size(); w++) {
            long slot = layout.slotMillis[w];
            next = Math.min(next, (Math.floorDiv(nowMillis, slot) + 1) * slot);
        }
        return next;
    }

    private long headSlot(int w) {
        return Math.floorDiv(advancedMillis, layout.slotMillis[w]);
    }

    /** Returns the admitted cost window {@code w} counts at {@link #advancedMillis}. */
    long used(int w) {
        return meta[w * FIELDS + SUM];
    }

    /** Returns whether every window is empty. */
    boolean isEmpty() {
        for (int w = 0; w < layout.size(); w++) {
            if (meta[w * FIELDS + SUM] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Adds {@code cost} to the current slot of window {@code w}. */
    void add(int w, long cost) {
        int m = w * FIELDS;
        int cell = w * layout.ringSize + (int) meta[m + CURSOR];
        if (counts != null && cost > Integer.MAX_VALUE - counts[cell]) {
            widen();
        }
        if (counts != null) {
            counts[cell] += (int) cost;
        } else {
            wideCounts[cell] += cost;
        }
        if (meta[m + SUM] == 0) {
            meta[m + OLDEST] = headSlot(w);
        }
        meta[m + SUM] += cost;
    }

    /**
     * Returns when window {@code w}'s oldest counted cost stops counting, in epoch milliseconds, or
     * {@link #advancedMillis} when it counts nothing.
     */
    long resetAtMillis(int w) {
        long oldest = meta[w * FIELDS + OLDEST];
        if (oldest == NONE) {
            return advancedMillis;
        }
        return (oldest + layout.ringSize) * layout.slotMillis[w];
    }

    /**
     * Returns the earliest time, in epoch milliseconds, at which window {@code w} will have dropped at
     * least {@code need} of its count, {@code need} being positive and at most {@link #used(int)}.
     */
    long releaseMillis(int w, long need) {
        int ring = layout.ringSize;
        int base = w * ring;
        int cursor = (int) meta[w * FIELDS + CURSOR];
        long firstInWindow = headSlot(w) - layout.precision;
        long released = 0;
        // Slots older than the oldest non-empty one hold nothing, so the scan starts there.
        long oldest = meta[w * FIELDS + OLDEST];
        int start = oldest == NONE ? 0 : (int) (oldest - firstInWindow);
        for (int i = start; i < ring; i++) {
            int cell = cursor + 1 + i;
            if (cell >= ring) {
                cell -= ring;
            }
            released += count(base + cell);
            if (released >= need) {
                return (firstInWindow + i + ring) * layout.slotMillis[w];
            }
        }
        throw new IllegalStateException("window " + layout.windowMillis[w] + " ms counts less than " + need);
    }

    /** Returns the counts of window {@code w}, oldest slot first, ending with the slot at {@link #advancedMillis}. */
    long[] slotCounts(int w) {
        int ring = layout.ringSize;
        int base = w * ring;
        int cursor = (int) meta[w * FIELDS + CURSOR];
        long[] result = new long[ring];
        for (int i = 0; i < ring; i++) {
            int cell = cursor + 1 + i;
            if (cell >= ring) {
                cell -= ring;
            }
            result[i] = count(base + cell);
        }
        return result;
    }

    /** Replaces window {@code w}'s counts, oldest slot first, as {@link #slotCounts} returns them. */
    void loadSlotCounts(int w, long[] oldestFirst) {
        int ring = layout.ringSize;
        int base = w * ring;
        int cursor = (int) meta[w * FIELDS + CURSOR];
        long sum = 0;
        for (int i = 0; i < ring; i++) {
            int cell = cursor + 1 + i;
            if (cell >= ring) {
                cell -= ring;
            }
            long value = oldestFirst[i];
            if (counts != null && value > Integer.MAX_VALUE) {
                widen();
            }
            if (counts != null) {
                counts[base + cell] = (int) value;
            } else {
                wideCounts[base + cell] = value;
            }
            sum += value;
        }
        meta[w * FIELDS + SUM] = sum;
        meta[w * FIELDS + OLDEST] = sum == 0 ? NONE : findOldest(w, headSlot(w));
    }

    private long count(int cell) {
        return counts != null ? counts[cell] : wideCounts[cell];
    }

    private void clear(int cell) {
        if (counts != null) {
            counts[cell] = 0;
        } else {
            wideCounts[cell] = 0;
        }
    }

    private void widen() {
        wideCounts = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            wideCounts[i] = counts[i];
        }
        counts = null;
    }
}
