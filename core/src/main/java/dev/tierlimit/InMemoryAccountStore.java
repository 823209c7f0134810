package dev.tierlimit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An {@link AccountStore} in a map, for tests and for services that keep accounts elsewhere. Thread-safe. */
public final class InMemoryAccountStore implements AccountStore {

    private final ConcurrentHashMap<String, Account> accounts = new ConcurrentHashMap<>();
    private final List<String> order = new ArrayList<>();

    @Override
    public Optional<Account> find(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(accounts.get(id));
    }

    @Override
    public void insert(Account account) {
        synchronized (order) {
            if (accounts.putIfAbsent(account.id(), account) != null) {
                throw new IllegalStateException("account " + account.id() + " already exists");
            }
            order.add(account.id());
        }
    }

    @Override
    public Account updateTier(String id, String tierId) {
        Account updated = accounts.computeIfPresent(id, (key, account) -> account.withTierId(tierId));
        if (updated == null) {
            throw new AccountNotFoundException(id);
        }
        return updated;
    }

    @Override
    public List<Account> list() {
        List<Account> result = new ArrayList<>();
        synchronized (order) {
            for (String id : order) {
                result.add(accounts.get(id));
            }
        }
        return result;
    }

    @Override
    public long count() {
        return accounts.mappingCount();
    }
}
