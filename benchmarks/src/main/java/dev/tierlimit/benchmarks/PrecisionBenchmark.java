package dev.tierlimit.benchmarks;

import dev.tierlimit.Limit;
import java.time.InstantSource;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What precision, the number of slots per window, costs tierlimit: time per check with 10, 60 and
 * 600 slots, for one key and for 100,000 keys. The admitted path uses maxima no run reaches; on the
 * rejected path every key has used up the Free tier's hourly maximum.
 *
 * <p>A key's state grows with the precision: three windows of {@code precision + 1} counters. A
 * million keys at precision 600 would need about 7 GB, so this benchmark stops at 100,000.
 */
public class PrecisionBenchmark extends BenchmarkSettings {

    @Param({"TIERLIMIT", "TIERLIMIT_DECISION"})
    public ContenderType contender;

    @Param({"10", "60", "600"})
    public int precision;

    @Param({"admitted", "rejected"})
    public String path;

    @Param({"1", "100000"})
    public int keys;

    private Contender limiter;
    private KeySequence sequence;

    @Setup
    public void prepareKeys() {
        sequence = KeySequence.create(keys, "uniform");
        boolean admitted = isAdmittedPath();
        List<Limit> limits = admitted ? Limits.unreachable() : Limits.free();
        limiter = contender.create(limits, precision, InstantSource.system());
        for (String key : sequence.keys()) {
            if (admitted) {
                limiter.expectAdmitted(key);
            } else {
                limiter.exhaust(key, Limits.smallestMaximum(limits));
            }
        }
    }

    @TearDown(Level.Iteration)
    public void verifyPath() {
        if (isAdmittedPath()) {
            limiter.expectAdmitted(sequence.keys()[0]);
        } else {
            limiter.expectRejected(sequence.keys()[0]);
        }
    }

    @Benchmark
    public Object check() {
        return limiter.check(sequence.next());
    }

    private boolean isAdmittedPath() {
        switch (path) {
            case "admitted":
                return true;
            case "rejected":
                return false;
            default:
                throw new IllegalArgumentException("unknown path \"" + path + "\"; use admitted or rejected");
        }
    }
}
