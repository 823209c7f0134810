package dev.tierlimit.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Time per check against the size of the maxima: one hot key, the hourly, daily and 30-day windows
 * each with the same maximum, used up before the first iteration.
 *
 * <p>The checks are rejected because a hot key cannot stay below a maximum of 60 for a whole run;
 * measuring the same path for every maximum keeps the comparison fair. For the sliding log this is
 * also where the size shows: its logs hold {@code maximum} timestamps per window.
 */
public class LimitSizeBenchmark extends BenchmarkSettings {

    @Param
    public ContenderType contender;

    @Param({"60", "10000", "5000000"})
    public long maximum;

    /** Read from a field rather than a constant, so the JIT cannot fold the key's hash code. */
    private String key = "account:acct_hot";
    private Contender limiter;

    @Setup
    public void exhaustKey() {
        limiter = contender.create(Limits.sameMaximum(maximum));
        limiter.exhaust(key, maximum);
    }

    @TearDown(Level.Iteration)
    public void verifyStillRejecting() {
        limiter.expectRejected(key);
    }

    @Benchmark
    public Object check() {
        return limiter.check(key);
    }
}
