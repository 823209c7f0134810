package dev.tierlimit.examples;

import dev.tierlimit.Account;
import dev.tierlimit.InMemorySlidingWindowLimiter;
import dev.tierlimit.IssuedKey;
import dev.tierlimit.TierCatalog;
import dev.tierlimit.TierChangeResult;
import dev.tierlimit.csv.CsvStore;
import dev.tierlimit.servlet.TierlimitServices;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account commands, run with the server stopped: each opens the data directory, which fails while
 * a running server holds its lock, makes one change and closes it again.
 */
final class AccountAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(AccountAdmin.class);

    private AccountAdmin() {
    }

    /**
     * Creates an account with one key and prints its {@link DemoAccounts#line} on {@code out}.
     *
     * @throws UsageException if the email is invalid
     */
    static Account createAccount(Command.CreateAccount command, TierCatalog catalog, InstantSource clock,
            PrintStream out) {
        // Checked before the data directory is opened, so a typo leaves no files behind.
        try {
            Account.requireValidEmail(command.email());
        } catch (IllegalArgumentException e) {
            throw new UsageException("invalid value for --create-account: " + e.getMessage());
        }
        return withServices(command.dataDirectory(), catalog, clock, services -> {
            Account account;
            try {
                account = services.subscriptions().createAccount(command.email(), command.tierId());
            } catch (IllegalArgumentException e) {
                throw new UsageException("invalid value for --create-account: " + e.getMessage());
            }
            IssuedKey key = services.keys().issue(account.id(), "first key", null);
            out.println(DemoAccounts.line(account.tierId(), account.id(), key.rawKey()));
            out.flush();
            LOG.info("Created account {} on tier \"{}\" with API key {}", account.id(), account.tierId(),
                    key.key().prefix());
            return account;
        });
    }

    /**
     * Moves an account to another tier by the rules of {@link dev.tierlimit.Subscriptions#changeTier}
     * and prints the result's message on {@code out}.
     *
     * @throws dev.tierlimit.AccountNotFoundException if there is no such account
     * @throws dev.tierlimit.DowngradeBlockedException if the account has more active keys than the tier allows
     */
    static TierChangeResult setTier(Command.SetTier command, TierCatalog catalog, InstantSource clock,
            PrintStream out) {
        return withServices(command.dataDirectory(), catalog, clock, services -> {
            TierChangeResult result = services.subscriptions().changeTier(command.accountId(), command.tierId());
            out.println(result.message());
            out.flush();
            LOG.info("{}", result.message());
            return result;
        });
    }

    /**
     * Runs {@code action} on services over the store in {@code dataDirectory}. The limiter is a fresh
     * one that the store does not attach, so the saved limiter state stays as the server left it.
     */
    private static <T> T withServices(Path dataDirectory, TierCatalog catalog, InstantSource clock,
            Function<TierlimitServices, T> action) {
        try (CsvStore store = CsvStore.open(dataDirectory, catalog, clock)) {
            InMemorySlidingWindowLimiter unusedLimiter = InMemorySlidingWindowLimiter.builder().clock(clock).build();
            return action.apply(ExampleServices.create(store, unusedLimiter, catalog, clock));
        }
    }
}
