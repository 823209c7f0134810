package dev.tierlimit.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Time per admitted check against the number of tracked keys, for every contender.
 *
 * <p>Every key is tracked before the first iteration, and the limits have the standard hourly,
 * daily and 30-day windows with maxima no run reaches, so every check is admitted and counted. Keys
 * come from a {@link KeySequence}, uniform or Zipf. With one key the two distributions are the same
 * run; both are kept so the result table has no holes.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar KeyScalingBenchmark -p contender=TIERLIMIT,BUCKET4J -p keys=1,1000000
 * </pre>
 */
public class KeyScalingBenchmark extends BenchmarkSettings {

    @Param
    public ContenderType contender;

    @Param({"1", "1000", "10000", "100000", "1000000"})
    public int keys;

    @Param({"uniform", "zipf"})
    public String distribution;

    private Contender limiter;
    private KeySequence sequence;

    @Setup
    public void trackEveryKey() {
        sequence = KeySequence.create(keys, distribution);
        limiter = contender.create(Limits.unreachable());
        for (String key : sequence.keys()) {
            limiter.expectAdmitted(key);
        }
    }

    @Setup(Level.Iteration)
    public void clearUnboundedHistory() {
        limiter.clearUnboundedHistory();
    }

    /** Fails the run if a contender started rejecting, for example because it used up a clamped maximum. */
    @TearDown(Level.Iteration)
    public void verifyStillAdmitting() {
        limiter.expectAdmitted(sequence.keys()[0]);
    }

    @Benchmark
    public Object check() {
        return limiter.check(sequence.next());
    }
}
