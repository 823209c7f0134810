package dev.tierlimit;

/**
 * Thrown when an account already has as many active API keys as its tier allows. The message
 * names the maximum and the tier and what to do.
 */
public class KeyLimitReachedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String accountId;
    private final String tierId;
    private final int maximum;

    /** Creates the exception for an account on {@code tierId} whose tier allows {@code maximum} active keys. */
    public KeyLimitReachedException(String accountId, String tierId, int maximum) {
        super("account " + accountId + " already has the maximum of " + maximum + " active API keys for tier \""
                + tierId + "\"; revoke a key or upgrade to a higher tier");
        this.accountId = accountId;
        this.tierId = tierId;
        this.maximum = maximum;
    }

    /** Returns the account's id. */
    public String accountId() {
        return accountId;
    }

    /** Returns the id of the account's tier. */
    public String tierId() {
        return tierId;
    }

    /** Returns the tier's maximum of active keys. */
    public int maximum() {
        return maximum;
    }
}
