package dev.tierlimit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A catalog over a fixed list of tiers, sorted by rank at construction. */
final class ListTierCatalog implements TierCatalog {

    private final List<Tier> tiers;
    private final Map<String, Tier> byId;
    private final Tier defaultTier;

    ListTierCatalog(List<Tier> tiers, String defaultTierId) {
        if (tiers.isEmpty()) {
            throw new IllegalStateException("a tier catalog needs at least one tier");
        }
        List<Tier> sorted = new ArrayList<>(tiers);
        sorted.sort(Comparator.comparingInt(Tier::rank));
        Map<String, Tier> index = new HashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            Tier tier = sorted.get(i);
            if (index.putIfAbsent(tier.id(), tier) != null) {
                throw new IllegalStateException("two tiers share the id \"" + tier.id() + "\"");
            }
            if (i > 0 && sorted.get(i - 1).rank() == tier.rank()) {
                throw new IllegalStateException("tiers \"" + sorted.get(i - 1).id() + "\" and \"" + tier.id()
                        + "\" share the rank " + tier.rank() + "; give each tier its own rank");
            }
        }
        this.tiers = List.copyOf(sorted);
        this.byId = Map.copyOf(index);
        if (defaultTierId == null) {
            this.defaultTier = this.tiers.get(0);
        } else if (index.containsKey(defaultTierId)) {
            this.defaultTier = index.get(defaultTierId);
        } else {
            throw new IllegalStateException(new UnknownTierException(defaultTierId, ids()).getMessage()
                    + " (the default tier must be one of the catalog's tiers)");
        }
    }

    @Override
    public List<Tier> tiers() {
        return tiers;
    }

    @Override
    public Tier defaultTier() {
        return defaultTier;
    }

    @Override
    public Optional<Tier> find(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
    }

    @Override
    public String toString() {
        return "TierCatalog" + ids() + " default=" + defaultTier.id();
    }
}
