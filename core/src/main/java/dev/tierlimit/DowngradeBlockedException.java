package dev.tierlimit;

/**
 * Thrown when an account requests a tier that allows fewer active API keys than it holds. The
 * message states how many keys to revoke first.
 */
public class DowngradeBlockedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String accountId;
    private final String targetTierId;
    private final int activeKeys;
    private final int allowedKeys;

    /** Creates the exception for an account holding {@code activeKeys} where the target allows {@code allowedKeys}. */
    public DowngradeBlockedException(String accountId, String targetTierId, int activeKeys, int allowedKeys) {
        super("account " + accountId + " has " + activeKeys + " active API keys but tier \"" + targetTierId
                + "\" allows " + allowedKeys + "; revoke " + (activeKeys - allowedKeys) + " key"
                + (activeKeys - allowedKeys == 1 ? "" : "s") + " before downgrading");
        this.accountId = accountId;
        this.targetTierId = targetTierId;
        this.activeKeys = activeKeys;
        this.allowedKeys = allowedKeys;
    }

    /** Returns the account's id. */
    public String accountId() {
        return accountId;
    }

    /** Returns the tier the account asked for. */
    public String targetTierId() {
        return targetTierId;
    }

    /** Returns the number of the account's active keys. */
    public int activeKeys() {
        return activeKeys;
    }

    /** Returns the target tier's maximum of active keys. */
    public int allowedKeys() {
        return allowedKeys;
    }

    /** Returns how many keys must be revoked before the downgrade can succeed. */
    public int keysToRevoke() {
        return activeKeys - allowedKeys;
    }
}
