package dev.tierlimit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Generates reproducible random workloads for comparing a limiter with {@link ReferenceLimiter}.
 *
 * <p>The windows are short (one, four and twenty minutes) so that a few hundred steps fill them,
 * release them and wrap around them many times. Two limits share the shortest window with different
 * maxima. Limit lists vary between steps: reordered (ties go to the first listed), subsets (a window
 * counts only requests that name it), larger maxima (a tier upgrade) and smaller ones (a downgrade,
 * where used can exceed the maximum). Clock moves cover every size that matters to slotted windows:
 * none, one millisecond, within a slot, exactly onto a slot boundary and one millisecond before it,
 * several slots, more than the longest window, and steps backwards.
 */
final class RandomWorkload {

    static final long SHORT_WINDOW_MILLIS = 60_000;
    static final long MEDIUM_WINDOW_MILLIS = 240_000;
    static final long LONG_WINDOW_MILLIS = 1_200_000;

    /** Midnight UTC, a multiple of every slot width used here. */
    static final long START_MILLIS = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();

    /** Precisions a seed picks from; each divides every window. The default, 60, comes up most. */
    private static final int[] PRECISIONS = {60, 60, 60, 12, 5, 2, 1};

    private static final long[] WINDOWS = {SHORT_WINDOW_MILLIS, MEDIUM_WINDOW_MILLIS, LONG_WINDOW_MILLIS};
    private static final String[] KEYS = {"k0", "k0", "k0", "k1", "k1", "k2", "k3"};

    private static final List<Limit> BASE = limits(4, 10, 10, 20);
    private static final List<Limit> UPGRADED = limits(6, 15, 16, 32);
    private static final List<Limit> DOWNGRADED = limits(2, 5, 5, 10);

    private final Random random;
    private final int precision;
    private final boolean inMemoryOperations;

    private RandomWorkload(long seed, int precision, boolean inMemoryOperations) {
        this.random = new Random(seed);
        this.precision = precision;
        this.inMemoryOperations = inMemoryOperations;
    }

    /** Returns the limiter precision the workload of {@code seed} is made for. */
    static int precisionFor(long seed) {
        return PRECISIONS[(int) Math.floorMod(seed, (long) PRECISIONS.length)];
    }

    /**
     * Generates {@code count} steps for {@code seed}.
     *
     * @param inMemoryOperations whether to mix in {@link Operation.Kind#EVICT} and
     *     {@link Operation.Kind#SNAPSHOT_RESTORE} steps
     */
    static List<Operation> generate(long seed, int count, boolean inMemoryOperations) {
        return new RandomWorkload(seed, precisionFor(seed), inMemoryOperations).generate(count);
    }

    private List<Operation> generate(int count) {
        List<Operation> operations = new ArrayList<>(count);
        long clockMillis = START_MILLIS + random.nextInt((int) LONG_WINDOW_MILLIS);
        for (int i = 0; i < count; i++) {
            clockMillis = nextClockMillis(clockMillis);
            operations.add(nextOperation(clockMillis));
        }
        return operations;
    }

    private Operation nextOperation(long clockMillis) {
        String key = KEYS[random.nextInt(KEYS.length)];
        List<Limit> limits = nextLimits();
        int roll = random.nextInt(100);
        if (inMemoryOperations && roll < 3) {
            return new Operation(Operation.Kind.EVICT, clockMillis, key, limits, 1);
        }
        if (inMemoryOperations && roll < 5) {
            return new Operation(Operation.Kind.SNAPSHOT_RESTORE, clockMillis, key, limits, 1);
        }
        if (roll < 7) {
            return new Operation(Operation.Kind.RESET, clockMillis, key, limits, 1);
        }
        if (roll < 17) {
            return new Operation(Operation.Kind.USAGE, clockMillis, key, limits, 1);
        }
        if (roll < 27) {
            return new Operation(Operation.Kind.CONSUME, clockMillis, key, limits, nextCost());
        }
        if (roll < 32) {
            return new Operation(Operation.Kind.ACQUIRE_DEFAULT_COST, clockMillis, key, limits, 1);
        }
        return new Operation(Operation.Kind.ACQUIRE, clockMillis, key, limits, nextCost());
    }

    private List<Limit> nextLimits() {
        int roll = random.nextInt(100);
        if (roll < 45) {
            return BASE;
        }
        if (roll < 60) {
            List<Limit> shuffled = new ArrayList<>(BASE);
            Collections.shuffle(shuffled, random);
            return List.copyOf(shuffled);
        }
        if (roll < 70) {
            return UPGRADED;
        }
        if (roll < 78) {
            return DOWNGRADED;
        }
        if (roll < 89) {
            return List.of(BASE.get(1));
        }
        return List.of(BASE.get(3), BASE.get(2));
    }

    /** Returns mostly small costs, sometimes one above the smallest maximum, rarely one above all. */
    private long nextCost() {
        int roll = random.nextInt(100);
        if (roll < 60) {
            return 1;
        }
        if (roll < 90) {
            return 2 + random.nextInt(2);
        }
        if (roll < 98) {
            return 4 + random.nextInt(4);
        }
        return 1_000;
    }

    private long nextClockMillis(long now) {
        long shortSlotMillis = SHORT_WINDOW_MILLIS / precision;
        long slotMillis = WINDOWS[random.nextInt(WINDOWS.length)] / precision;
        long nextBoundary = (Math.floorDiv(now, slotMillis) + 1) * slotMillis;
        int roll = random.nextInt(100);
        if (roll < 18) {
            return now;
        }
        if (roll < 28) {
            return now + 1;
        }
        if (roll < 64) {
            return now + 1 + random.nextInt((int) shortSlotMillis);
        }
        if (roll < 74) {
            return nextBoundary;
        }
        if (roll < 80) {
            return nextBoundary - 1 > now ? nextBoundary - 1 : nextBoundary;
        }
        if (roll < 90) {
            return now + slotMillis * (2 + random.nextInt(4));
        }
        if (roll < 92) {
            return now + 1 + random.nextInt((int) (slotMillis * (precision + 1)));
        }
        if (roll < 93) {
            return now + LONG_WINDOW_MILLIS + random.nextInt((int) LONG_WINDOW_MILLIS);
        }
        return now - 1 - random.nextInt((int) (2 * SHORT_WINDOW_MILLIS));
    }

    private static List<Limit> limits(long burst, long shortMaximum, long mediumMaximum, long longMaximum) {
        return List.of(
                Limit.of("burst", Duration.ofMillis(SHORT_WINDOW_MILLIS), burst),
                Limit.of("short", Duration.ofMillis(SHORT_WINDOW_MILLIS), shortMaximum),
                Limit.of("medium", Duration.ofMillis(MEDIUM_WINDOW_MILLIS), mediumMaximum),
                Limit.of("long", Duration.ofMillis(LONG_WINDOW_MILLIS), longMaximum));
    }
}
