package dev.tierlimit.redis;

import java.util.List;

/**
 * The limiter script's reply: the decision time, whether the request was admitted, per window the
 * counted cost and reset time, and for a rejected request per limit the time it has room again (0 for
 * a limit with room). Times are epoch milliseconds.
 */
record ScriptReply(long decidedAtMillis, boolean admitted, long[] used, long[] resetAtMillis, long[] roomAtMillis) {

    /**
     * Parses the script's reply list.
     *
     * @param limitCount the number of limits when the reply may carry room times, otherwise 0
     * @throws IllegalStateException if the reply does not have the shape the script returns
     */
    static ScriptReply parse(List<Object> reply, int windowCount, int limitCount) {
        int windowsEnd = 2 + 2 * windowCount;
        boolean hasRoomTimes = limitCount > 0 && reply.size() == windowsEnd + limitCount;
        if (reply.size() != windowsEnd && !hasRoomTimes) {
            throw new IllegalStateException("the limiter script returned " + reply.size() + " values, expected "
                    + windowsEnd + (limitCount > 0 ? " or " + (windowsEnd + limitCount) : "") + ": " + reply);
        }
        long[] used = new long[windowCount];
        long[] resetAt = new long[windowCount];
        for (int w = 0; w < windowCount; w++) {
            used[w] = number(reply, 2 + 2 * w);
            resetAt[w] = number(reply, 3 + 2 * w);
        }
        long[] roomAt = null;
        if (hasRoomTimes) {
            roomAt = new long[limitCount];
            for (int k = 0; k < limitCount; k++) {
                roomAt[k] = number(reply, windowsEnd + k);
            }
        }
        return new ScriptReply(number(reply, 0), number(reply, 1) == 1, used, resetAt, roomAt);
    }

    /** Reads an integer reply, or a decimal string, which the script returns for counts beyond 2^53. */
    private static long number(List<Object> reply, int index) {
        Object value = reply.get(index);
        if (value instanceof Long number) {
            return number;
        }
        if (value instanceof String text) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                // Reported below with the whole reply.
            }
        }
        throw new IllegalStateException("the limiter script returned " + value + " at position " + index
                + " where an integer belongs: " + reply);
    }
}
