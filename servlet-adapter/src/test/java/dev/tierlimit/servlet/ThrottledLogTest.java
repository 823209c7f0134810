package dev.tierlimit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ThrottledLogTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ThrottledLog log = new ThrottledLog(LoggerFactory.getLogger("dev.tierlimit.test.ThrottledLogTest"), clock);

    private static List<String> messagesSince(int mark) {
        return LogCapture.since(mark).stream()
                .filter(line -> line.logger().equals("dev.tierlimit.test.ThrottledLogTest"))
                .map(LogCapture.Line::message)
                .collect(Collectors.toList());
    }

    @Test
    void repeats_suppressedWithinInterval() {
        int mark = LogCapture.mark();

        for (int i = 0; i < 3; i++) {
            log.warn("store", "store down " + i, null);
        }
        clock.advance(ThrottledLog.INTERVAL.minusMillis(1));
        log.warn("store", "store down 3", null);

        assertThat(messagesSince(mark)).containsExactly("store down 0");
    }

    @Test
    void nextLine_countsSuppressed() {
        int mark = LogCapture.mark();

        for (int i = 0; i < 4; i++) {
            log.warn("store", "store down " + i, null);
        }
        clock.advance(ThrottledLog.INTERVAL);
        log.warn("store", "store down 4", null);
        clock.advance(ThrottledLog.INTERVAL);
        log.warn("store", "store down 5", null);

        assertThat(messagesSince(mark)).containsExactly(
                "store down 0",
                "store down 4 (3 similar warnings suppressed since the last one)",
                "store down 5");
    }

    @Test
    void kinds_throttledSeparately() {
        int mark = LogCapture.mark();

        log.warn("store", "store down", null);
        log.warn("limiter", "limiter down", null);
        log.warn("store", "store down again", null);

        assertThat(messagesSince(mark)).containsExactly("store down", "limiter down");
    }

    @Test
    void clockStepBack_keepsSuppressing() {
        int mark = LogCapture.mark();

        log.warn("store", "first", null);
        clock.advance(Duration.ofMinutes(-5));
        log.warn("store", "after step back", null);

        assertThat(messagesSince(mark)).containsExactly("first");
    }
}
