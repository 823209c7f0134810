package dev.tierlimit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The tiers a service sells, in rank order, with the tier new accounts start on.
 *
 * <p>Implementations are immutable and thread-safe. {@link #standard()} returns the four default
 * tiers; {@link #builder()} builds a custom catalog and validates it.
 */
public interface TierCatalog {

    /** Returns every tier, lowest rank first. The list is immutable and never empty. */
    List<Tier> tiers();

    /** Returns the tier new accounts are given. */
    Tier defaultTier();

    /** Returns the tier with id {@code id}, if there is one. */
    Optional<Tier> find(String id);

    /**
     * Returns the tier with id {@code id}.
     *
     * @throws UnknownTierException if there is none; its message lists the known ids
     */
    default Tier get(String id) {
        return find(id).orElseThrow(() -> new UnknownTierException(id, ids()));
    }

    /** Returns the tier ids, lowest rank first. */
    default List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (Tier tier : tiers()) {
            ids.add(tier.id());
        }
        return List.copyOf(ids);
    }

    /**
     * Compares a move from tier {@code fromId} to tier {@code toId}.
     *
     * @throws UnknownTierException if either id is unknown
     */
    default TierChange compare(String fromId, String toId) {
        int fromRank = get(fromId).rank();
        int toRank = get(toId).rank();
        if (toRank > fromRank) {
            return TierChange.UPGRADE;
        }
        return toRank < fromRank ? TierChange.DOWNGRADE : TierChange.SAME;
    }

    /** Returns the tier ranked just above {@code tier}, or empty when it is the highest. */
    default Optional<Tier> next(Tier tier) {
        Objects.requireNonNull(tier, "tier");
        for (Tier candidate : tiers()) {
            if (candidate.rank() > tier.rank()) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the standard catalog: Free ($0), Pro ($29), Business ($99) and Enterprise ($499) with
     * hourly, daily and 30-day limits; Free is the default.
     *
     * <table>
     *   <caption>Standard tiers</caption>
     *   <tr><th>id</th><th>per hour</th><th>per day</th><th>per 30 days</th><th>API keys</th></tr>
     *   <tr><td>free</td><td>60</td><td>1,000</td><td>10,000</td><td>2</td></tr>
     *   <tr><td>pro</td><td>600</td><td>10,000</td><td>250,000</td><td>10</td></tr>
     *   <tr><td>business</td><td>3,000</td><td>50,000</td><td>1,000,000</td><td>50</td></tr>
     *   <tr><td>enterprise</td><td>10,000</td><td>200,000</td><td>5,000,000</td><td>200</td></tr>
     * </table>
     */
    static TierCatalog standard() {
        return StandardTiers.CATALOG;
    }

    /** Returns a builder for a custom catalog. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Collects tiers and validates them into a catalog. Not thread-safe; the built catalog is.
     */
    final class Builder {

        private final List<Tier> tiers = new ArrayList<>();
        private String defaultTierId;

        private Builder() {
        }

        /** Adds {@code tier}. */
        public Builder add(Tier tier) {
            tiers.add(Objects.requireNonNull(tier, "tier"));
            return this;
        }

        /** Sets the id of the tier new accounts get; without it the lowest-ranked tier is the default. */
        public Builder defaultTier(String id) {
            this.defaultTierId = Objects.requireNonNull(id, "id");
            return this;
        }

        /**
         * Builds the catalog.
         *
         * @throws IllegalStateException if there is no tier, two tiers share an id or a rank, or the
         *     default tier id is not among the tiers
         */
        public TierCatalog build() {
            return new ListTierCatalog(tiers, defaultTierId);
        }
    }
}
