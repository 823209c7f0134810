package dev.tierlimit.benchmarks;

import java.time.Instant;
import java.time.InstantSource;

/** A clock that moves only when its owner sets or advances it. Not thread-safe: one thread drives and reads it. */
final class ManualClock implements InstantSource {

    private long millis;

    ManualClock(long millis) {
        this.millis = millis;
    }

    void setMillis(long millis) {
        this.millis = millis;
    }

    void advanceMillis(long delta) {
        millis += delta;
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }
}
