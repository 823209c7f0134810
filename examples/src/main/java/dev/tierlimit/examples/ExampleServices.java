package dev.tierlimit.examples;

import dev.tierlimit.ApiKeyRegistry;
import dev.tierlimit.SlidingWindowLimiter;
import dev.tierlimit.Subscriptions;
import dev.tierlimit.TierCatalog;
import dev.tierlimit.UsageHistory;
import dev.tierlimit.csv.CsvStore;
import dev.tierlimit.servlet.TierlimitServices;
import java.time.InstantSource;

/** Assembles the tierlimit services over the example's store, as the server and the admin commands use them. */
final class ExampleServices {

    private ExampleServices() {
    }

    /**
     * Creates the services: keys, accounts and usage from {@code store}, limits counted per account by
     * {@code limiter}, and the simulated billing that approves every upgrade.
     */
    static TierlimitServices create(CsvStore store, SlidingWindowLimiter limiter, TierCatalog catalog,
            InstantSource clock) {
        ApiKeyRegistry keys = ApiKeyRegistry.create(store.apiKeys(), store.accounts(), catalog, clock);
        Subscriptions subscriptions = Subscriptions.builder()
                .accounts(store.accounts())
                .keys(keys)
                .catalog(catalog)
                .limiter(limiter)
                .clock(clock)
                .build();
        return TierlimitServices.builder()
                .keys(keys)
                .accounts(store.accounts())
                .limiter(limiter)
                .usageHistory(new UsageHistory(store.usage(), clock))
                .subscriptions(subscriptions)
                .clock(clock)
                .build();
    }
}
