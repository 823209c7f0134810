package dev.tierlimit;

/**
 * Striped monitors per account id, so that counting an account's keys and then issuing one, or
 * checking them before a downgrade, cannot interleave with another such sequence for the same account.
 */
final class AccountLocks {

    private static final Object[] STRIPES = new Object[256];

    static {
        for (int i = 0; i < STRIPES.length; i++) {
            STRIPES[i] = new Object();
        }
    }

    private AccountLocks() {
    }

    static Object forAccount(String accountId) {
        return STRIPES[(accountId.hashCode() & 0x7fffffff) % STRIPES.length];
    }
}
