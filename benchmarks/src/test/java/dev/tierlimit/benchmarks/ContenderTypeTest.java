package dev.tierlimit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierlimit.Decision;
import io.github.bucket4j.ConsumptionProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Checks that every contender enforces the limits it is given, so that a benchmark named after the
 * admitted or the rejected path measures that path.
 */
class ContenderTypeTest {

    @ParameterizedTest
    @EnumSource(ContenderType.class)
    void unreachableLimits_admitEveryCheck(ContenderType type) {
        Contender contender = type.create(Limits.unreachable());

        for (int i = 0; i < 10_000; i++) {
            assertThat(contender.admitted(contender.check("k"))).as("check %d", i + 1).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(value = ContenderType.class, names = "GUAVA", mode = EnumSource.Mode.EXCLUDE)
    void freeLimits_admitSixtyThenReject(ContenderType type) {
        Contender contender = type.create(Limits.free());

        assertThat(admittedUntilRejected(contender, "k")).isEqualTo(60);
        assertThat(contender.admitted(contender.check("k"))).isFalse();
        assertThat(admittedUntilRejected(contender, "other")).as("another key has its own limit").isEqualTo(60);
    }

    /** Guava's rate starts with no stored permits: one request is let through, and it pays for the next minute. */
    @Test
    void guava_freeLimitsAdmitOneThenReject() {
        Contender contender = ContenderType.GUAVA.create(Limits.free());

        assertThat(admittedUntilRejected(contender, "k")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(ContenderType.class)
    void exhaust_leavesKeyRejecting(ContenderType type) {
        Contender contender = type.create(Limits.free());

        contender.exhaust("k", 60);

        contender.expectRejected("k");
        assertThatThrownBy(() -> contender.expectAdmitted("k"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(type.name())
                .hasMessageContaining("\"k\"");
    }

    @Test
    void exhaust_failsWhenNeverRejected() {
        Contender contender = ContenderType.TIERLIMIT.create(Limits.unreachable());

        assertThatThrownBy(() -> contender.exhaust("k", 5))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after 20 requests");
    }

    @Test
    void expectRejected_failsWhenAdmitting() {
        Contender contender = ContenderType.BUCKET4J.create(Limits.unreachable());

        assertThatThrownBy(() -> contender.expectRejected("k"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("BUCKET4J admitted key \"k\" twice");
    }

    @Test
    void check_returnsLibraryResultTypes() {
        assertThat(ContenderType.TIERLIMIT.create(Limits.free()).check("k")).isEqualTo(Boolean.TRUE);
        assertThat(ContenderType.TIERLIMIT_DECISION.create(Limits.free()).check("k")).isInstanceOf(Decision.class);
        assertThat(ContenderType.BUCKET4J_PROBE.create(Limits.free()).check("k")).isInstanceOf(ConsumptionProbe.class);
    }

    @Test
    void clearUnboundedHistory_onlyClearsSlidingLog() {
        Contender log = ContenderType.SLIDING_LOG.create(Limits.free());
        Contender tierlimit = ContenderType.TIERLIMIT.create(Limits.free());
        log.exhaust("k", 60);
        tierlimit.exhaust("k", 60);

        log.clearUnboundedHistory();
        tierlimit.clearUnboundedHistory();

        assertThat(log.admitted(log.check("k"))).isTrue();
        assertThat(tierlimit.admitted(tierlimit.check("k"))).isFalse();
    }

    private static int admittedUntilRejected(Contender contender, String key) {
        int admitted = 0;
        while (admitted <= 1_000 && contender.admitted(contender.check(key))) {
            admitted++;
        }
        return admitted;
    }
}
