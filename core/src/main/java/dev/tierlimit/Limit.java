package dev.tierlimit;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named maximum of admitted cost in any sliding window of a given length, such as 60 requests in
 * any hour.
 *
 * <p>The name appears in HTTP headers ({@code RateLimit-Policy}) and problem details, so it is a
 * lower-case token: letters, digits, {@code _}, {@code -} and {@code .}, starting with a letter or
 * digit. The window is at least one millisecond and is measured in milliseconds by the limiters;
 * sub-millisecond parts are rejected. The maximum is counted in the same unit as the cost passed to
 * {@link SlidingWindowLimiter#tryAcquire}: one per request by default, or any cost unit the host
 * chooses.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param name the policy name, for example {@code hourly}
 * @param window the length of the sliding window, at least 1 ms, whole milliseconds
 * @param maximum the largest admitted cost in any window of that length, at least 1
 */
public record Limit(String name, Duration window, long maximum) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    /**
     * Validates the components.
     *
     * @throws NullPointerException if {@code name} or {@code window} is null
     * @throws IllegalArgumentException if the name is not a lower-case token, the window is not a
     *     positive whole number of milliseconds, or the maximum is below 1
     */
    public Limit {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(window, "window");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("limit name must be a lower-case token of letters, digits,"
                    + " '_', '-' or '.' (at most 64 characters): \"" + name + "\"");
        }
        if (window.isNegative() || window.isZero() || window.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException(
                    "limit window must be a positive whole number of milliseconds: " + window + " for \"" + name + "\"");
        }
        if (maximum < 1) {
            throw new IllegalArgumentException("limit maximum must be at least 1: " + maximum + " for \"" + name + "\"");
        }
    }

    /** Creates a limit named {@code name} of {@code maximum} per window of {@code window}. */
    public static Limit of(String name, Duration window, long maximum) {
        return new Limit(name, window, maximum);
    }

    /** Creates a limit called {@code hourly}: {@code maximum} in any hour. */
    public static Limit hourly(long maximum) {
        return new Limit("hourly", Duration.ofHours(1), maximum);
    }

    /** Creates a limit called {@code daily}: {@code maximum} in any 24 hours. */
    public static Limit daily(long maximum) {
        return new Limit("daily", Duration.ofDays(1), maximum);
    }

    /** Creates a limit called {@code monthly}: {@code maximum} in any 30 days. */
    public static Limit monthly(long maximum) {
        return new Limit("monthly", Duration.ofDays(30), maximum);
    }

    /** Returns the window length in milliseconds. */
    public long windowMillis() {
        return window.toMillis();
    }

    /** Returns the window length in whole seconds, rounded up, as the {@code w} parameter of {@code RateLimit-Policy}. */
    public long windowSeconds() {
        long millis = window.toMillis();
        return millis / 1000 + (millis % 1000 == 0 ? 0 : 1);
    }
}
