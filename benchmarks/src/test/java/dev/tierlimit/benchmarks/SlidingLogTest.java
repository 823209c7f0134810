package dev.tierlimit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierlimit.Limit;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlidingLogTest {

    private static final long HOUR = Duration.ofHours(1).toMillis();

    private final ManualClock clock = new ManualClock(1_000_000_000L);

    @Test
    void tryConsume_admitsUpToMaximum() {
        SlidingLog log = new SlidingLog(List.of(Limit.hourly(3), Limit.daily(100)), clock);

        for (int i = 0; i < 3; i++) {
            assertThat(log.tryConsume("k")).as("request %d", i + 1).isTrue();
            clock.advanceMillis(1);
        }

        assertThat(log.tryConsume("k")).isFalse();
        assertThat(log.logSizes("k")).containsExactly(3, 3);
    }

    @Test
    void tryConsume_releasesAfterExactWindow() {
        SlidingLog log = new SlidingLog(List.of(Limit.hourly(1)), clock);
        assertThat(log.tryConsume("k")).isTrue();

        clock.advanceMillis(HOUR - 1);
        assertThat(log.tryConsume("k")).isFalse();

        clock.advanceMillis(1);
        assertThat(log.tryConsume("k")).isTrue();
        assertThat(log.logSizes("k")).containsExactly(1);
    }

    @Test
    void tryConsume_needsRoomInEveryWindow() {
        SlidingLog log = new SlidingLog(List.of(Limit.hourly(10), Limit.daily(2)), clock);
        log.tryConsume("k");
        log.tryConsume("k");

        clock.advanceMillis(2 * HOUR);

        assertThat(log.tryConsume("k")).isFalse();
        assertThat(log.logSizes("k")).containsExactly(0, 2);
    }

    @Test
    void tryConsume_keepsKeysApart() {
        SlidingLog log = new SlidingLog(List.of(Limit.hourly(1)), clock);

        assertThat(log.tryConsume("a")).isTrue();
        assertThat(log.tryConsume("b")).isTrue();
        assertThat(log.tryConsume("a")).isFalse();
    }

    @Test
    void clearLogs_emptiesEveryKey() {
        SlidingLog log = new SlidingLog(List.of(Limit.hourly(1)), clock);
        log.tryConsume("a");
        log.tryConsume("b");

        log.clearLogs();

        assertThat(log.logSizes("a")).containsExactly(0);
        assertThat(log.tryConsume("a")).isTrue();
        assertThat(log.tryConsume("b")).isTrue();
    }

    @Test
    void logSizes_unknownKeyIsEmpty() {
        SlidingLog log = new SlidingLog(List.of(Limit.hourly(1), Limit.daily(1)), clock);

        assertThat(log.logSizes("never-seen")).containsExactly(0, 0);
    }

    @Test
    void timestampRing_growsWhileWrapped() {
        SlidingLog.TimestampRing ring = new SlidingLog.TimestampRing();
        for (long t = 1; t <= 8; t++) {
            ring.append(t);
        }
        ring.dropUpTo(5);
        for (long t = 9; t <= 20; t++) {
            ring.append(t);
        }

        assertThat(ring.size()).isEqualTo(15);
        ring.dropUpTo(6);
        assertThat(ring.size()).as("only timestamp 6 is at or before 6").isEqualTo(14);
        ring.dropUpTo(19);
        assertThat(ring.size()).as("only timestamp 20 is after 19").isEqualTo(1);
    }
}
