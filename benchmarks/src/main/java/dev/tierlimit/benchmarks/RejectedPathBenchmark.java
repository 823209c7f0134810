package dev.tierlimit.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Time per rejected check, for every contender: each key has used up the hourly maximum of the
 * standard Free tier (60 per hour, 1,000 per day, 10,000 per 30 days) before the first iteration.
 *
 * <p>tierlimit's {@code tryAcquire} also computes the exact retry time here, which its admitted path
 * does not. Bucket4j and Guava refill continuously, so they admit about one request per key per
 * minute. At millions of checks per second that does not move the average.
 */
public class RejectedPathBenchmark extends BenchmarkSettings {

    @Param
    public ContenderType contender;

    @Param({"1", "1000000"})
    public int keys;

    private Contender limiter;
    private KeySequence sequence;

    @Setup
    public void exhaustEveryKey() {
        sequence = KeySequence.create(keys, "uniform");
        limiter = contender.create(Limits.free());
        long maximum = Limits.smallestMaximum(Limits.free());
        for (String key : sequence.keys()) {
            limiter.exhaust(key, maximum);
        }
    }

    @TearDown(Level.Iteration)
    public void verifyStillRejecting() {
        limiter.expectRejected(sequence.keys()[0]);
    }

    @Benchmark
    public Object check() {
        return limiter.check(sequence.next());
    }
}
