package dev.tierlimit;

import java.util.List;
import java.util.Optional;

/**
 * Storage SPI for accounts. Core ships {@link InMemoryAccountStore}; adapters keep accounts on disk or
 * in a database.
 *
 * <p>Implementations are thread-safe. A storage failure throws {@link StoreException}, and what was
 * stored before the failed call stays stored.
 */
public interface AccountStore {

    /** Returns the account with id {@code id}, if there is one. */
    Optional<Account> find(String id);

    /**
     * Stores a new account.
     *
     * @throws IllegalStateException if an account with the same id exists
     */
    void insert(Account account);

    /**
     * Sets the tier of account {@code id} and returns the updated account.
     *
     * @throws AccountNotFoundException if there is no such account
     */
    Account updateTier(String id, String tierId);

    /** Returns every account, in creation order. */
    List<Account> list();

    /** Returns the number of accounts. */
    long count();
}
