package dev.tierlimit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierlimit.Limit;
import dev.tierlimit.Tier;
import dev.tierlimit.TierCatalog;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generated weather and the forecast length of each tier. */
class WeatherTest {

    private static final LocalDate DAY = LocalDate.of(2026, 7, 15);

    @Test
    void dayDependsOnlyOnCityAndDate() {
        assertThat(Weather.day("Oslo", DAY)).isEqualTo(Weather.day(" OSLO ", DAY));
        assertThat(Weather.day("Oslo", DAY)).isNotEqualTo(Weather.day("Oslo", DAY.plusDays(1)));
        assertThat(Weather.day("Oslo", DAY)).isNotEqualTo(Weather.day("Lima", DAY));
    }

    @Test
    void valuesStayPlausible() {
        Set<String> conditions = new HashSet<>();
        for (String city : List.of("Oslo", "Lima", "Cairo", "Tromsø", "São Paulo", "Ürümqi", "x")) {
            for (Weather.Day day : Weather.forecast(city, LocalDate.of(2026, 1, 1), 365)) {
                assertThat(day.lowCelsius()).isLessThanOrEqualTo(day.highCelsius()).isBetween(-40.0, 50.0);
                assertThat(day.highCelsius()).isBetween(-40.0, 50.0);
                assertThat(day.precipitationMillimetres()).isBetween(0.0, 16.0);
                assertThat(day.humidityPercent()).isBetween(0, 100);
                assertThat(day.windKilometresPerHour()).isBetween(0, 40);
                conditions.add(day.conditions());
            }
        }
        assertThat(conditions).containsExactlyInAnyOrder("clear", "partly cloudy", "overcast", "light rain", "rain",
                "snow");
    }

    @Test
    void currentFollowsDailyCurve() {
        Instant midnight = Instant.parse("2026-07-15T00:00:00Z");
        Weather.Day day = Weather.day("Oslo", DAY);

        Weather.Current coldest = Weather.current("Oslo", midnight.plusSeconds(5 * 3600 + 59));
        Weather.Current warmest = Weather.current("Oslo", midnight.plusSeconds(15 * 3600));

        assertThat(coldest.observedAt()).isEqualTo(midnight.plusSeconds(5 * 3600));
        assertThat(coldest.temperatureCelsius()).isEqualTo(day.lowCelsius());
        assertThat(warmest.temperatureCelsius()).isEqualTo(day.highCelsius());
        assertThat(warmest.feelsLikeCelsius()).isLessThanOrEqualTo(warmest.temperatureCelsius());
    }

    @Test
    void forecastDaysOfStandardTiers() {
        TierCatalog catalog = TierCatalog.standard();

        assertThat(ForecastDays.max(catalog.get("free"))).isEqualTo(7);
        assertThat(ForecastDays.max(catalog.get("pro"))).isEqualTo(14);
        assertThat(ForecastDays.max(catalog.get("business"))).isEqualTo(16);
        assertThat(ForecastDays.max(catalog.get("enterprise"))).isEqualTo(16);
        assertThat(ForecastDays.lowestTierAllowing(catalog, catalog.get("free"), 15)).contains(catalog.get("business"));
        assertThat(ForecastDays.lowestTierAllowing(catalog, catalog.get("free"), 17)).isEmpty();
    }

    @Test
    void tierWithoutForecastFeatureRejected() {
        Tier silent = new Tier("silent", "Silent", BigDecimal.ZERO, List.of(Limit.hourly(10)), 1,
                List.of("Community support"), 0);
        TierCatalog catalog = TierCatalog.builder().add(silent).defaultTier("silent").build();

        assertThatThrownBy(() -> ForecastDays.requireAll(catalog))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tier \"silent\"", "Forecasts up to N days");
    }
}
