package dev.tierlimit;

import java.util.List;

/**
 * Thrown when a tier id is not in the catalog. The message lists the ids that are.
 *
 * <p>It extends {@link IllegalArgumentException} because the id usually comes from a caller's input.
 */
public class UnknownTierException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String tierId;
    private final List<String> knownIds;

    /**
     * Creates the exception for {@code tierId}.
     *
     * @param tierId the id that was not found, possibly null
     * @param knownIds the ids of the catalog, in rank order
     */
    public UnknownTierException(String tierId, List<String> knownIds) {
        super("unknown tier \"" + tierId + "\"; known tiers: " + String.join(", ", knownIds));
        this.tierId = tierId;
        this.knownIds = List.copyOf(knownIds);
    }

    /** Returns the id that was not found. */
    public String tierId() {
        return tierId;
    }

    /** Returns the ids in the catalog, in rank order. */
    public List<String> knownIds() {
        return knownIds;
    }
}
