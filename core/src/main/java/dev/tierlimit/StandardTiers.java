package dev.tierlimit;

import java.math.BigDecimal;
import java.util.List;

/**
 * Holder of the standard catalog.
 *
 * <p>The tiers are built here from {@link Limit} and {@link Tier} only, and nothing that those
 * classes initialize refers back to this class or to {@link TierCatalog}. That keeps class
 * initialization free of cycles, which could otherwise deadlock when several threads touch the
 * catalog and the tiers for the first time at once.
 */
final class StandardTiers {

    static final TierCatalog CATALOG = TierCatalog.builder()
            .add(tier("free", "Free", "0", 60, 1_000, 10_000, 2, 0,
                    List.of("All public endpoints", "Forecasts up to 7 days", "Community support")))
            .add(tier("pro", "Pro", "29", 600, 10_000, 250_000, 10, 1,
                    List.of("All public endpoints", "Forecasts up to 14 days", "Email support")))
            .add(tier("business", "Business", "99", 3_000, 50_000, 1_000_000, 50, 2,
                    List.of("All public endpoints", "Forecasts up to 16 days", "Priority support", "Usage export")))
            .add(tier("enterprise", "Enterprise", "499", 10_000, 200_000, 5_000_000, 200, 3,
                    List.of("All public endpoints", "Forecasts up to 16 days", "Dedicated support", "Usage export",
                            "Custom limits on request")))
            .defaultTier("free")
            .build();

    private StandardTiers() {
    }

    private static Tier tier(String id, String name, String price, long hourly, long daily, long monthly,
            int maxKeys, int rank, List<String> features) {
        List<Limit> limits = List.of(Limit.hourly(hourly), Limit.daily(daily), Limit.monthly(monthly));
        return new Tier(id, name, new BigDecimal(price), limits, maxKeys, features, rank);
    }
}
