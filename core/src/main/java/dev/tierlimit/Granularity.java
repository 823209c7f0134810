package dev.tierlimit;

import java.time.Duration;

/** The width of the points of a usage report. Days are UTC days. */
public enum Granularity {
    /** One point per UTC hour. */
    HOUR(Duration.ofHours(1)),
    /** One point per UTC day. */
    DAY(Duration.ofDays(1));

    private final Duration width;

    Granularity(Duration width) {
        this.width = width;
    }

    /** Returns the width of one point. */
    public Duration width() {
        return width;
    }
}
