package dev.tierlimit.examples;

import dev.tierlimit.Account;
import dev.tierlimit.IssuedKey;
import dev.tierlimit.Tier;
import dev.tierlimit.servlet.TierlimitServices;
import java.io.PrintStream;

/**
 * The demo accounts of a new data directory, and the line that hands out a raw key.
 *
 * <p>Raw keys go to standard output only, once, in the form {@link #line} writes, so scripts can read
 * them. The store keeps only their hashes, and no log line contains them.
 */
final class DemoAccounts {

    private DemoAccounts() {
    }

    /**
     * Creates one account per tier, each with one key, when the store has no account at all, and prints
     * a {@link #line} for each.
     *
     * @return the number of accounts created, 0 when the store already had accounts
     */
    static int createIfEmpty(TierlimitServices services, PrintStream out) {
        if (services.accounts().count() > 0) {
            return 0;
        }
        int created = 0;
        for (Tier tier : services.catalog().tiers()) {
            Account account = services.subscriptions().createAccount("demo-" + tier.id() + "@example.com", tier.id());
            IssuedKey key = services.keys().issue(account.id(), "demo", null);
            out.println(line(tier.id(), account.id(), key.rawKey()));
            created++;
        }
        out.flush();
        return created;
    }

    /** Returns {@code demo-key tier=<tier-id> account=<account-id> key=<raw-key>}. */
    static String line(String tierId, String accountId, String rawKey) {
        return "demo-key tier=" + tierId + " account=" + accountId + " key=" + rawKey;
    }
}
