package dev.tierlimit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link InstantSource} that moves only when a test sets or advances it, so limiter tests never
 * depend on wall-clock time. Millisecond resolution, like the limiters. Thread-safe.
 */
public final class MutableClock implements InstantSource {

    private final AtomicLong epochMillis;

    /** Creates a clock that reads {@code start}, truncated to the millisecond. */
    public MutableClock(Instant start) {
        this(start.toEpochMilli());
    }

    /** Creates a clock that reads {@code epochMillis}. */
    public MutableClock(long epochMillis) {
        this.epochMillis = new AtomicLong(epochMillis);
    }

    /** Creates a clock that reads the ISO-8601 instant {@code isoInstant}, such as {@code 2026-12-04T10:00:00Z}. */
    public static MutableClock at(String isoInstant) {
        return new MutableClock(Instant.parse(isoInstant));
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(epochMillis.get());
    }

    @Override
    public long millis() {
        return epochMillis.get();
    }

    /** Sets the time; an earlier time than now steps the clock backwards. */
    public void setMillis(long epochMillis) {
        this.epochMillis.set(epochMillis);
    }

    /** Sets the time, truncated to the millisecond. */
    public void set(Instant instant) {
        setMillis(instant.toEpochMilli());
    }

    /** Moves the time by {@code deltaMillis}, which may be negative, and returns the new time. */
    public long advanceMillis(long deltaMillis) {
        return epochMillis.addAndGet(deltaMillis);
    }

    /** Moves the time by {@code duration}, truncated to the millisecond. */
    public void advance(Duration duration) {
        advanceMillis(duration.toMillis());
    }

    @Override
    public String toString() {
        return "MutableClock[" + instant() + "]";
    }
}
