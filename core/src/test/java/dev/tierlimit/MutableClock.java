package dev.tierlimit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** A thread-safe {@link InstantSource} that tests move by hand, in milliseconds. */
public final class MutableClock implements InstantSource {

    private final AtomicLong millis;

    public MutableClock(Instant start) {
        this.millis = new AtomicLong(start.toEpochMilli());
    }

    public static MutableClock at(String isoInstant) {
        return new MutableClock(Instant.parse(isoInstant));
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    public void set(Instant instant) {
        millis.set(instant.toEpochMilli());
    }

    public void setMillis(long epochMillis) {
        millis.set(epochMillis);
    }

    public void advance(Duration duration) {
        millis.addAndGet(duration.toMillis());
    }

    public void advanceMillis(long delta) {
        millis.addAndGet(delta);
    }
}
