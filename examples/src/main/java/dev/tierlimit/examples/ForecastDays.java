package dev.tierlimit.examples;

import dev.tierlimit.Tier;
import dev.tierlimit.TierCatalog;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The maximum forecast length of each tier, in days. The number is read from the tier's feature
 * {@code "Forecasts up to N days"}, so the catalog states it once and callers see the same number in
 * {@code GET /api/v3/subscription/tiers} that the forecast endpoint enforces.
 */
final class ForecastDays {

    private static final Pattern FEATURE = Pattern.compile("Forecasts up to (\\d{1,3}) days?");

    private ForecastDays() {
    }

    /**
     * Returns the maximum forecast length of {@code tier}, in days.
     *
     * @throws IllegalStateException if the tier has no feature of the form "Forecasts up to N days"
     */
    static int max(Tier tier) {
        for (String feature : tier.features()) {
            Matcher matcher = FEATURE.matcher(feature);
            if (matcher.matches()) {
                return Integer.parseInt(matcher.group(1));
            }
        }
        throw new IllegalStateException("tier \"" + tier.id() + "\" has no feature \"Forecasts up to N days\", so"
                + " its forecast length is unknown; add one to its feature list (features: " + tier.features() + ")");
    }

    /**
     * Checks that every tier of {@code catalog} states its forecast length, so that a missing feature
     * stops the server at startup instead of failing requests.
     *
     * @throws IllegalStateException naming the first tier without one
     */
    static void requireAll(TierCatalog catalog) {
        for (Tier tier : catalog.tiers()) {
            int days = max(tier);
            if (days < 1) {
                throw new IllegalStateException("tier \"" + tier.id() + "\" allows forecasts of " + days
                        + " days; it must allow at least 1");
            }
        }
    }

    /** Returns the lowest-ranked tier above {@code current} that allows forecasts of {@code days} days. */
    static Optional<Tier> lowestTierAllowing(TierCatalog catalog, Tier current, int days) {
        for (Tier tier : catalog.tiers()) {
            if (tier.rank() > current.rank() && max(tier) >= days) {
                return Optional.of(tier);
            }
        }
        return Optional.empty();
    }
}
