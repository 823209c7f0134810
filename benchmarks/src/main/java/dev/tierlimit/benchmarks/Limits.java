package dev.tierlimit.benchmarks;

import dev.tierlimit.Limit;
import dev.tierlimit.TierCatalog;
import java.util.List;

/** The limit sets the benchmarks check against: always an hourly, a daily and a 30-day window. */
final class Limits {

    /**
     * A maximum per window that no benchmark run reaches: at 100 million checks per second a run
     * would need more than two hours to use it up.
     */
    static final long UNREACHABLE_MAXIMUM = 1_000_000_000_000L;

    private Limits() {
    }

    /** Returns the standard windows with maxima no run reaches, so every check is admitted. */
    static List<Limit> unreachable() {
        return sameMaximum(UNREACHABLE_MAXIMUM);
    }

    /** Returns the limits of the standard Free tier: 60 per hour, 1,000 per day, 10,000 per 30 days. */
    static List<Limit> free() {
        return TierCatalog.standard().get("free").limits();
    }

    /** Returns the limits of the standard Enterprise tier: 10,000 per hour, 200,000 per day, 5,000,000 per 30 days. */
    static List<Limit> enterprise() {
        return TierCatalog.standard().get("enterprise").limits();
    }

    /** Returns the standard windows, each with the given maximum. */
    static List<Limit> sameMaximum(long maximum) {
        return List.of(Limit.hourly(maximum), Limit.daily(maximum), Limit.monthly(maximum));
    }

    /** Returns the smallest maximum of the limits, the one a hot key reaches first. */
    static long smallestMaximum(List<Limit> limits) {
        long smallest = Long.MAX_VALUE;
        for (Limit limit : limits) {
            smallest = Math.min(smallest, limit.maximum());
        }
        return smallest;
    }

    /** Returns the limit with the smallest maximum, for peers that enforce a single limit. */
    static Limit tightest(List<Limit> limits) {
        Limit tightest = limits.get(0);
        for (Limit limit : limits) {
            if (limit.maximum() < tightest.maximum()) {
                tightest = limit;
            }
        }
        return tightest;
    }
}
