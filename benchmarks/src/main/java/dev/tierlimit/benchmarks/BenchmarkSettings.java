package dev.tierlimit.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH settings of the full profile, which every benchmark class inherits: average time per
 * check in nanoseconds, two forks of four one-second warmup and six one-second measured iterations.
 *
 * <p>Iterations last one second because the sliding log's memory grows with every admitted check
 * until its history is cleared before the next iteration. The heap is fixed at 4 GiB so that a
 * million tracked keys of any contender fit and the heap never resizes during a run. It is also
 * touched at start-up: otherwise every contender that allocates pays the kernel's first-touch page
 * faults across the young generation during the measurement, which on this project's 2-core VM
 * tripled Bucket4j's time per check and made allocating contenders look slow.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
@State(Scope.Benchmark)
abstract class BenchmarkSettings {
}
