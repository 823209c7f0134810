package dev.tierlimit.benchmarks;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A precomputed stream of limiter keys: the key strings and a fixed-length cycle of indices into
 * them, drawn uniformly or from a Zipf distribution.
 *
 * <p>The cycle has the same length whatever the number of keys, so reading it costs every benchmark
 * the same. Under Zipf the key of rank {@code r} (1 for the most frequent) is drawn with probability
 * proportional to {@code 1 / r^s}; ranks are assigned to keys in random order, so the hot keys are
 * not the ones created first and do not share a region of the heap. The seed is fixed, so every
 * contender gets the same keys in the same order.
 *
 * <p>Not thread-safe: each thread steps its own cursor, or the benchmark state holds one.
 */
final class KeySequence {

    /** Length of the index cycle: 2^20, about one draw per key at a million keys. */
    static final int LENGTH = 1 << 20;

    /** Zipf exponent {@code s}: the most frequent of a million keys gets about 7% of the checks. */
    static final double ZIPF_EXPONENT = 1.0;

    private static final long SEED = 0x7153_4c1d_2e9bL;

    private final String[] keys;
    private final int[] order;
    private int cursor;

    private KeySequence(String[] keys, int[] order) {
        this.keys = keys;
        this.order = order;
    }

    /**
     * Creates a sequence over {@code keyCount} keys.
     *
     * @param distribution {@code uniform} or {@code zipf}
     * @throws IllegalArgumentException if {@code keyCount} is below 1 or the distribution is unknown
     */
    static KeySequence create(int keyCount, String distribution) {
        if (keyCount < 1) {
            throw new IllegalArgumentException("key count must be at least 1: " + keyCount);
        }
        SplittableRandom random = new SplittableRandom(SEED);
        String[] keys = keyNames(keyCount);
        int[] order;
        switch (distribution) {
            case "uniform":
                order = uniform(keyCount, random);
                break;
            case "zipf":
                order = zipf(keyCount, random);
                break;
            default:
                throw new IllegalArgumentException("unknown key distribution \"" + distribution + "\"; use uniform or zipf");
        }
        return new KeySequence(keys, order);
    }

    /** Returns the names {@code account:acct_0000000} and upwards, shaped like the limiter keys of account-scoped limits. */
    static String[] keyNames(int keyCount) {
        String[] keys = new String[keyCount];
        for (int i = 0; i < keyCount; i++) {
            String digits = Integer.toString(i);
            keys[i] = "account:acct_" + "0".repeat(Math.max(0, 7 - digits.length())) + digits;
        }
        return keys;
    }

    /** Returns the next key of the cycle. */
    String next() {
        String key = keys[order[cursor]];
        cursor = (cursor + 1) & (LENGTH - 1);
        return key;
    }

    /** Returns every key, each once. */
    String[] keys() {
        return keys;
    }

    /** Returns how often each key index occurs in one cycle; for tests. */
    int[] frequencies() {
        int[] counts = new int[keys.length];
        for (int index : order) {
            counts[index]++;
        }
        return counts;
    }

    private static int[] uniform(int keyCount, SplittableRandom random) {
        int[] order = new int[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            order[i] = random.nextInt(keyCount);
        }
        return order;
    }

    /** Draws ranks by inverting the cumulative distribution with a binary search, then maps ranks to shuffled keys. */
    private static int[] zipf(int keyCount, SplittableRandom random) {
        double[] cumulative = new double[keyCount];
        double total = 0;
        for (int rank = 1; rank <= keyCount; rank++) {
            total += 1.0 / Math.pow(rank, ZIPF_EXPONENT);
            cumulative[rank - 1] = total;
        }

        int[] keyOfRank = shuffledIdentity(keyCount, random);
        int[] order = new int[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            int found = Arrays.binarySearch(cumulative, random.nextDouble() * total);
            int rankIndex = found >= 0 ? found : -found - 1;
            order[i] = keyOfRank[Math.min(rankIndex, keyCount - 1)];
        }
        return order;
    }

    private static int[] shuffledIdentity(int size, SplittableRandom random) {
        int[] values = new int[size];
        for (int i = 0; i < size; i++) {
            values[i] = i;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
        return values;
    }
}
