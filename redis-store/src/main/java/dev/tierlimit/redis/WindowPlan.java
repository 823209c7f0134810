package dev.tierlimit.redis;

import dev.tierlimit.Limit;
import java.util.Arrays;
import java.util.List;

/**
 * The distinct window lengths that one call's limits name, with their slot widths and the window of
 * each limit, turned into the arguments of the limiter script. Two limits with the same window length
 * share one window, so a request counts once in it. Immutable.
 */
final class WindowPlan {

    private final int precision;
    private final long[] windowMillis;
    private final long[] slotMillis;
    private final int[] windowOfLimit;

    private WindowPlan(int precision, long[] windowMillis, long[] slotMillis, int[] windowOfLimit) {
        this.precision = precision;
        this.windowMillis = windowMillis;
        this.slotMillis = slotMillis;
        this.windowOfLimit = windowOfLimit;
    }

    /**
     * Plans the windows of {@code limits}.
     *
     * @throws IllegalArgumentException if a window does not divide into {@code precision} whole
     *     milliseconds
     */
    static WindowPlan of(List<Limit> limits, int precision) {
        long[] windows = new long[0];
        int[] windowOfLimit = new int[limits.size()];
        for (int k = 0; k < limits.size(); k++) {
            long millis = limits.get(k).windowMillis();
            int w = indexOf(windows, millis);
            if (w < 0) {
                w = windows.length;
                windows = Arrays.copyOf(windows, w + 1);
                windows[w] = millis;
            }
            windowOfLimit[k] = w;
        }
        long[] slots = new long[windows.length];
        for (int w = 0; w < windows.length; w++) {
            slots[w] = slotMillis(windows[w], precision);
        }
        return new WindowPlan(precision, windows, slots, windowOfLimit);
    }

    private static long slotMillis(long windowMillis, int precision) {
        if (windowMillis % precision != 0) {
            throw new IllegalArgumentException("window of " + windowMillis + " ms cannot be cut into " + precision
                    + " slots of whole milliseconds; use a window that is a multiple of " + precision
                    + " ms, or build the limiter with a precision that divides " + windowMillis);
        }
        return windowMillis / precision;
    }

    private static int indexOf(long[] windows, long millis) {
        for (int w = 0; w < windows.length; w++) {
            if (windows[w] == millis) {
                return w;
            }
        }
        return -1;
    }

    int windowCount() {
        return windowMillis.length;
    }

    /** Returns the position, in {@link #windowCount()} order, of the window that limit {@code k} counts in. */
    int windowOf(int k) {
        return windowOfLimit[k];
    }

    /** Returns how long Redis keeps the key after a check: the longest window plus one of its slots. */
    long expiryMillis() {
        long expiry = 0;
        for (int w = 0; w < windowMillis.length; w++) {
            expiry = Math.max(expiry, windowMillis[w] + slotMillis[w]);
        }
        return expiry;
    }

    /** Returns the script arguments of a usage read; {@code clockArgument} is epoch milliseconds or empty for server time. */
    String[] usageArguments(String clockArgument) {
        String[] arguments = header("usage", clockArgument, 0, 0);
        appendWindows(arguments);
        return arguments;
    }

    /** Returns the script arguments of a check that counts {@code cost} when every limit has room. */
    String[] acquireArguments(String clockArgument, long cost, List<Limit> limits) {
        String[] arguments = header("acquire", clockArgument, cost, 2 * limits.size());
        int next = appendWindows(arguments);
        for (int k = 0; k < limits.size(); k++) {
            arguments[next++] = Integer.toString(windowOfLimit[k] + 1);
            arguments[next++] = Long.toString(limits.get(k).maximum());
        }
        return arguments;
    }

    private String[] header(String operation, String clockArgument, long cost, int limitArguments) {
        String[] arguments = new String[6 + 2 * windowMillis.length + limitArguments];
        arguments[0] = operation;
        arguments[1] = clockArgument;
        arguments[2] = Long.toString(cost);
        arguments[3] = Integer.toString(precision);
        arguments[4] = Long.toString(expiryMillis());
        arguments[5] = Integer.toString(windowMillis.length);
        return arguments;
    }

    private int appendWindows(String[] arguments) {
        int next = 6;
        for (int w = 0; w < windowMillis.length; w++) {
            arguments[next++] = Long.toString(windowMillis[w]);
            arguments[next++] = Long.toString(slotMillis[w]);
        }
        return next;
    }
}
