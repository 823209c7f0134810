package dev.tierlimit;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link Subscriptions#changeTier}. Immutable and thread-safe.
 *
 * @param accountId the account
 * @param previous the tier before the call
 * @param current the tier after the call
 * @param change the direction of the requested move
 * @param changed whether the tier changed; false when the account was already on the tier
 * @param billing the billing result for an upgrade, or null when nothing was charged
 * @param message a sentence describing what happened, for the account holder
 */
public record TierChangeResult(String accountId, Tier previous, Tier current, TierChange change, boolean changed,
        Billing.Result billing, String message) {

    /** Validates the components. */
    public TierChangeResult {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(message, "message");
    }

    /** Returns the billing result, if the change was charged. */
    public Optional<Billing.Result> billingResult() {
        return Optional.ofNullable(billing);
    }
}
