package dev.tierlimit;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A subscription plan: what an account pays per month and the limits and API keys it gets.
 *
 * <p>Tiers are ordered by {@code rank}: a move to a higher rank is an upgrade. Ids are lower-case
 * tokens that appear in URLs, CSV files and JSON. The limits list is non-empty, and no two limits
 * share a name. Instances are immutable and thread-safe.
 *
 * @param id lower-case identifier, for example {@code pro}
 * @param displayName the name shown to people, for example {@code Pro}
 * @param monthlyPrice price per month in US dollars, zero or more
 * @param limits the limits every request of an account on this tier must fit, at least one
 * @param maxApiKeys the largest number of active API keys an account may hold, at least 1
 * @param features short descriptions of what the tier includes, shown to people
 * @param rank the order among tiers of one catalog; higher is more expensive
 */
public record Tier(
        String id,
        String displayName,
        BigDecimal monthlyPrice,
        List<Limit> limits,
        int maxApiKeys,
        List<String> features,
        int rank) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    /**
     * Validates and copies the components.
     *
     * @throws NullPointerException if a component or list element is null
     * @throws IllegalArgumentException if the id is not a lower-case token, the price is negative,
     *     there is no limit, two limits share a name, or {@code maxApiKeys} is below 1
     */
    public Tier {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(monthlyPrice, "monthlyPrice");
        limits = List.copyOf(Objects.requireNonNull(limits, "limits"));
        features = List.copyOf(Objects.requireNonNull(features, "features"));
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("tier id must be a lower-case token of letters, digits, '_' or '-'"
                    + " (at most 32 characters): \"" + id + "\"");
        }
        if (displayName.isBlank()) {
            throw new IllegalArgumentException("tier display name must not be blank for tier \"" + id + "\"");
        }
        if (monthlyPrice.signum() < 0) {
            throw new IllegalArgumentException("tier price must not be negative: " + monthlyPrice + " for tier \"" + id + "\"");
        }
        if (limits.isEmpty()) {
            throw new IllegalArgumentException("tier \"" + id + "\" needs at least one limit");
        }
        for (int i = 0; i < limits.size(); i++) {
            for (int j = i + 1; j < limits.size(); j++) {
                if (limits.get(i).name().equals(limits.get(j).name())) {
                    throw new IllegalArgumentException(
                            "tier \"" + id + "\" has two limits named \"" + limits.get(i).name() + "\"");
                }
            }
        }
        if (maxApiKeys < 1) {
            throw new IllegalArgumentException("tier max API keys must be at least 1: " + maxApiKeys + " for tier \"" + id + "\"");
        }
    }

    /** Returns the limit called {@code name}, if this tier has one. */
    public Optional<Limit> limit(String name) {
        for (Limit limit : limits) {
            if (limit.name().equals(name)) {
                return Optional.of(limit);
            }
        }
        return Optional.empty();
    }
}
