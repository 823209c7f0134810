package dev.tierlimit.servlet;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** An {@link InstantSource} that tests move by hand, in milliseconds. Thread-safe. */
final class MutableClock implements InstantSource {

    private final AtomicLong millis;

    MutableClock(Instant start) {
        this.millis = new AtomicLong(start.toEpochMilli());
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    void set(Instant instant) {
        millis.set(instant.toEpochMilli());
    }

    void advance(Duration duration) {
        millis.addAndGet(duration.toMillis());
    }
}
