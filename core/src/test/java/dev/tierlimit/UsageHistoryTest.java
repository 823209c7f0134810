package dev.tierlimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UsageHistoryTest {

    private final MutableClock clock = MutableClock.at("2026-12-04T10:15:00Z");
    private final InMemoryUsageStore store = new InMemoryUsageStore();
    private final UsageHistory history = new UsageHistory(store, clock);

    @Test
    void query_groupsByHourWithEmptyHours() {
        history.record("acct_a", "key_1", 1);
        history.record("acct_a", "key_2", 3);
        clock.advance(Duration.ofHours(2));
        history.record("acct_a", "key_1", 1);
        history.record("acct_b", "key_9", 1);

        UsageReport report = history.query("acct_a", null, Instant.parse("2026-12-04T10:00:00Z"),
                Instant.parse("2026-12-04T12:30:00Z"), Granularity.HOUR);

        assertThat(report.points()).extracting(UsageReport.Point::start).containsExactly(
                Instant.parse("2026-12-04T10:00:00Z"), Instant.parse("2026-12-04T11:00:00Z"),
                Instant.parse("2026-12-04T12:00:00Z"));
        assertThat(report.points()).extracting(UsageReport.Point::requests).containsExactly(2L, 0L, 1L);
        assertThat(report.points()).extracting(UsageReport.Point::cost).containsExactly(4L, 0L, 1L);
        assertThat(report.totalRequests()).isEqualTo(3);
        assertThat(report.totalCost()).isEqualTo(5);
    }

    @Test
    void query_groupsByUtcDay() {
        history.record("acct_a", "", 1);
        clock.set(Instant.parse("2026-12-05T23:59:59Z"));
        history.record("acct_a", "", 1);
        clock.set(Instant.parse("2026-12-06T00:00:00Z"));
        history.record("acct_a", "", 1);

        UsageReport report = history.query("acct_a", null, Instant.parse("2026-12-04T08:00:00Z"),
                Instant.parse("2026-12-06T01:00:00Z"), Granularity.DAY);

        assertThat(report.from()).isEqualTo(Instant.parse("2026-12-04T00:00:00Z"));
        assertThat(report.to()).isEqualTo(Instant.parse("2026-12-07T00:00:00Z"));
        assertThat(report.points()).extracting(UsageReport.Point::requests).containsExactly(1L, 1L, 1L);
    }

    @Test
    void query_filtersByKey() {
        history.record("acct_a", "key_1", 1);
        history.record("acct_a", "key_2", 1);
        history.record("acct_a", "key_2", 1);

        UsageReport report = history.query("acct_a", "key_2", clock.instant().minusSeconds(3600),
                clock.instant().plusSeconds(1), Granularity.HOUR);

        assertThat(report.totalRequests()).isEqualTo(2);
    }

    @Test
    void query_rejectsRangeBeforeRetention() {
        assertThatThrownBy(() -> history.query("acct_a", null, clock.instant().minus(Duration.ofDays(91)),
                clock.instant(), Granularity.DAY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retention of 90 days");
        assertThatThrownBy(() -> history.query("acct_a", null, clock.instant(), clock.instant(), Granularity.DAY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("before its end");
        assertThatThrownBy(() -> history.query("acct_a", null, clock.instant(),
                clock.instant().plus(Duration.ofDays(400)), Granularity.DAY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than the retention");
    }

    @Test
    void record_purgesBucketsPastRetention() {
        UsageHistory shortLived = new UsageHistory(store, clock, Duration.ofDays(2));
        shortLived.record("acct_a", "", 1);
        Instant firstHour = clock.instant().minusSeconds(900);

        clock.advance(Duration.ofDays(3));
        shortLived.record("acct_a", "", 1);

        assertThat(store.find("acct_a", null, firstHour, clock.instant().plusSeconds(1)))
                .extracting(UsageBucket::hourStart)
                .containsExactly(Instant.parse("2026-12-07T10:00:00Z"));
    }

    @Test
    void record_rejectsCostBelowOne() {
        assertThatThrownBy(() -> history.record("acct_a", "", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
        assertThatThrownBy(() -> new UsageHistory(store, clock, Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT5M");
    }
}
