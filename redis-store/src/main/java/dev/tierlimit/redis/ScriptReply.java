package dev.tierlimit.redis;

import java.util.List;

/**
 * The limiter script's reply: the decision time, the time source's reading, whether the request was
 * admitted, per window the counted cost and reset time, and for a rejected request per limit the time
 * it has room again (0 for a limit with room). Times are epoch milliseconds.
 */
record ScriptReply(long decidedAtMillis, long clockMillis, boolean admitted, long[] used, long[] resetAtMillis,
        long[] roomAtMillis) {

    /**
     * Parses the script's list of integers.
     *
     * @param limitCount the number of limits when the reply may carry room times, otherwise 0
     * @throws IllegalStateException if the reply does not have the shape the script returns
     */
    static ScriptReply parse(List<Object> reply, int windowCount, int limitCount) {
        int windowsEnd = 3 + 2 * windowCount;
        boolean hasRoomTimes = reply.size() == windowsEnd + limitCount && limitCount > 0;
        if (reply.size() != windowsEnd && !hasRoomTimes) {
            throw new IllegalStateException("the limiter script returned " + reply.size() + " values, expected "
                    + windowsEnd + (limitCount > 0 ? " or " + (windowsEnd + limitCount) : "") + ": " + reply);
        }
        long[] used = new long[windowCount];
        long[] resetAt = new long[windowCount];
        for (int w = 0; w < windowCount; w++) {
            used[w] = number(reply, 3 + 2 * w);
            resetAt[w] = number(reply, 4 + 2 * w);
        }
        long[] roomAt = null;
        if (hasRoomTimes) {
            roomAt = new long[limitCount];
            for (int k = 0; k < limitCount; k++) {
                roomAt[k] = number(reply, windowsEnd + k);
            }
        }
        return new ScriptReply(number(reply, 0), number(reply, 1), number(reply, 2) == 1, used, resetAt, roomAt);
    }

    private static long number(List<Object> reply, int index) {
        Object value = reply.get(index);
        if (!(value instanceof Long)) {
            throw new IllegalStateException("the limiter script returned " + value + " at position " + index
                    + " where an integer belongs: " + reply);
        }
        return (Long) value;
    }
}
