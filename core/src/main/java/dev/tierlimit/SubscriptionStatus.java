package dev.tierlimit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An account's tier and how much of it is used. Immutable and thread-safe.
 *
 * @param account the account
 * @param tier its current tier
 * @param usage the status of each of the tier's limits, in the tier's order
 * @param activeKeys the account's active API keys
 * @param nextTier the tier ranked just above, if any, to suggest as an upgrade
 */
public record SubscriptionStatus(Account account, Tier tier, List<LimitStatus> usage, int activeKeys,
        Optional<Tier> nextTier) {

    /** Copies the usage list. */
    public SubscriptionStatus {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(tier, "tier");
        usage = List.copyOf(usage);
        Objects.requireNonNull(nextTier, "nextTier");
    }

    /** Returns the tier's maximum of active keys. */
    public int maxKeys() {
        return tier.maxApiKeys();
    }
}
