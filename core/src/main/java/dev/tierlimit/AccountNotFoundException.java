package dev.tierlimit;

/** Thrown when an account id is not in the {@link AccountStore}. */
public class AccountNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String accountId;

    /** Creates the exception for {@code accountId}. */
    public AccountNotFoundException(String accountId) {
        super("account not found: " + accountId);
        this.accountId = accountId;
    }

    /** Returns the id that was not found. */
    public String accountId() {
        return accountId;
    }
}
