package dev.tierlimit.csv;

import dev.tierlimit.Account;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * The process that {@link CrashSafetyTest} kills: opens the store in {@code args[0]} and changes the
 * tiers of random accounts until it is killed, printing {@code saving <id> <tier>} before each change
 * and {@code saved <id> <tier>} once it returned.
 */
public final class CrashChild {

    private static final List<String> TIERS = List.of("free", "pro", "business", "enterprise");

    private CrashChild() {
    }

    public static void main(String[] args) {
        Path directory = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        CsvStore store = CsvStore.builder(directory).flushInterval(Duration.ZERO).limiterSaveInterval(Duration.ZERO).open();
        List<Account> accounts = store.accounts().list();
        System.out.println("ready " + accounts.size());
        while (true) {
            Account account = accounts.get(random.nextInt(accounts.size()));
            String tier = TIERS.get(random.nextInt(TIERS.size()));
            System.out.println("saving " + account.id() + " " + tier);
            store.accounts().updateTier(account.id(), tier);
            System.out.println("saved " + account.id() + " " + tier);
        }
    }
}
