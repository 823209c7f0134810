package dev.tierlimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TierCatalogTest {

    private final TierCatalog standard = TierCatalog.standard();

    @Test
    void standard_matchesPublishedTable() {
        assertThat(standard.ids()).containsExactly("free", "pro", "business", "enterprise");
        assertTier("free", "0", 60, 1_000, 10_000, 2);
        assertTier("pro", "29", 600, 10_000, 250_000, 10);
        assertTier("business", "99", 3_000, 50_000, 1_000_000, 50);
        assertTier("enterprise", "499", 10_000, 200_000, 5_000_000, 200);
        assertThat(standard.defaultTier().id()).isEqualTo("free");
    }

    private void assertTier(String id, String price, long hourly, long daily, long monthly, int keys) {
        Tier tier = standard.get(id);
        assertThat(tier.monthlyPrice()).isEqualByComparingTo(price);
        assertThat(tier.limits()).containsExactly(
                new Limit("hourly", Duration.ofHours(1), hourly),
                new Limit("daily", Duration.ofDays(1), daily),
                new Limit("monthly", Duration.ofDays(30), monthly));
        assertThat(tier.maxApiKeys()).isEqualTo(keys);
        assertThat(tier.features()).isNotEmpty();
    }

    @Test
    void get_unknownIdListsKnownIds() {
        assertThatThrownBy(() -> standard.get("gold"))
                .isInstanceOf(UnknownTierException.class)
                .hasMessageContaining("\"gold\"")
                .hasMessageContaining("free, pro, business, enterprise")
                .satisfies(e -> assertThat(((UnknownTierException) e).knownIds()).hasSize(4));
    }

    @Test
    void compare_ordersByRank() {
        assertThat(standard.compare("free", "pro")).isEqualTo(TierChange.UPGRADE);
        assertThat(standard.compare("enterprise", "business")).isEqualTo(TierChange.DOWNGRADE);
        assertThat(standard.compare("pro", "pro")).isEqualTo(TierChange.SAME);
        assertThatThrownBy(() -> standard.compare("pro", "nope")).isInstanceOf(UnknownTierException.class);
    }

    @Test
    void next_returnsTierAbove() {
        assertThat(standard.next(standard.get("free"))).map(Tier::id).contains("pro");
        assertThat(standard.next(standard.get("enterprise"))).isEmpty();
    }

    @Test
    void builder_sortsByRankAndDefaultsToLowest() {
        TierCatalog catalog = TierCatalog.builder().add(tier("gold", 5)).add(tier("basic", 1)).build();
        assertThat(catalog.ids()).containsExactly("basic", "gold");
        assertThat(catalog.defaultTier().id()).isEqualTo("basic");
    }

    @Test
    void builder_rejectsDuplicateIds() {
        assertThatThrownBy(() -> TierCatalog.builder().add(tier("basic", 1)).add(tier("basic", 2)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("\"basic\"");
    }

    @Test
    void builder_rejectsSharedRank() {
        assertThatThrownBy(() -> TierCatalog.builder().add(tier("a", 1)).add(tier("b", 1)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("rank 1");
    }

    @Test
    void builder_rejectsUnknownDefault() {
        assertThatThrownBy(() -> TierCatalog.builder().add(tier("a", 1)).defaultTier("z").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("\"z\"");
    }

    @Test
    void builder_rejectsEmptyCatalog() {
        assertThatThrownBy(() -> TierCatalog.builder().build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void tier_rejectsInvalidComponents() {
        assertThatThrownBy(() -> new Tier("Pro", "Pro", BigDecimal.ONE, List.of(Limit.hourly(1)), 1, List.of(), 0))
                .hasMessageContaining("\"Pro\"");
        assertThatThrownBy(() -> new Tier("pro", "Pro", new BigDecimal("-1"), List.of(Limit.hourly(1)), 1, List.of(), 0))
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> new Tier("pro", "Pro", BigDecimal.ONE, List.of(), 1, List.of(), 0))
                .hasMessageContaining("at least one limit");
        assertThatThrownBy(() -> new Tier("pro", "Pro", BigDecimal.ONE, List.of(Limit.hourly(1), Limit.hourly(2)), 1,
                List.of(), 0)).hasMessageContaining("two limits named \"hourly\"");
        assertThatThrownBy(() -> new Tier("pro", "Pro", BigDecimal.ONE, List.of(Limit.hourly(1)), 0, List.of(), 0))
                .hasMessageContaining("max API keys");
    }

    @Test
    void limit_rejectsInvalidComponents() {
        assertThatThrownBy(() -> Limit.of("Hourly", Duration.ofHours(1), 1)).hasMessageContaining("\"Hourly\"");
        assertThatThrownBy(() -> Limit.of("hourly", Duration.ZERO, 1)).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> Limit.of("hourly", Duration.ofNanos(1_500_000), 1)).hasMessageContaining("whole");
        assertThatThrownBy(() -> Limit.of("hourly", Duration.ofHours(1), 0)).hasMessageContaining("0");
    }

    @Test
    void limit_windowSecondsRoundsUp() {
        assertThat(Limit.monthly(1).windowSeconds()).isEqualTo(2_592_000);
        assertThat(Limit.of("odd", Duration.ofMillis(1_500), 1).windowSeconds()).isEqualTo(2);
    }

    private static Tier tier(String id, int rank) {
        return new Tier(id, id.toUpperCase(), BigDecimal.TEN, List.of(Limit.hourly(10)), 3, List.of("x"), rank);
    }
}
