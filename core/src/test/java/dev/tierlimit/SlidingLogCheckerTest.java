package dev.tierlimit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shows that the checker the random runs rely on flags an over-admission and nothing else. */
class SlidingLogCheckerTest {

    private static final List<Limit> THREE_PER_SECOND = List.of(Limit.of("second", Duration.ofSeconds(1), 3));

    @Test
    void admitted_flagsExcessWithinWindow() {
        SlidingLogChecker checker = new SlidingLogChecker();
        checker.admitted("k", THREE_PER_SECOND, 2, 0, () -> "first");

        assertThatThrownBy(() -> checker.admitted("k", THREE_PER_SECOND, 2, 999, () -> "second"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("second")
                .hasMessageContaining("cost 4");
    }

    @Test
    void admitted_acceptsOnceWindowHasPassed() {
        SlidingLogChecker checker = new SlidingLogChecker();
        checker.admitted("k", THREE_PER_SECOND, 2, 0, () -> "first");
        checker.admitted("other", THREE_PER_SECOND, 3, 500, () -> "other key");

        assertThatCode(() -> checker.admitted("k", THREE_PER_SECOND, 3, 1_000, () -> "a window later"))
                .doesNotThrowAnyException();
    }

    @Test
    void forget_startsKeyAfresh() {
        SlidingLogChecker checker = new SlidingLogChecker();
        checker.admitted("k", THREE_PER_SECOND, 3, 0, () -> "first");

        checker.forget("k");

        assertThatCode(() -> checker.admitted("k", THREE_PER_SECOND, 3, 10, () -> "after forget"))
                .doesNotThrowAnyException();
    }
}
