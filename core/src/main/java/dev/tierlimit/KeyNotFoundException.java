package dev.tierlimit;

/**
 * Thrown when a key id does not name a key of the given account. Another account's key is reported
 * the same way as a key that does not exist, so ids of other accounts cannot be probed.
 */
public class KeyNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String keyId;

    /** Creates the exception for {@code keyId} of account {@code accountId}. */
    public KeyNotFoundException(String accountId, String keyId) {
        super("API key " + keyId + " not found for account " + accountId + "; list the account's keys to see valid ids");
        this.keyId = keyId;
    }

    /** Returns the id that was not found. */
    public String keyId() {
        return keyId;
    }
}
