package dev.tierlimit.benchmarks;

import java.time.InstantSource;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * The cost of reading the clock alone, which every check pays once: tierlimit and Bucket4j read
 * {@link System#currentTimeMillis()}, tierlimit through an {@link InstantSource}; Resilience4j and
 * Guava read {@link System#nanoTime()}.
 */
public class ClockBenchmark extends BenchmarkSettings {

    private InstantSource clock = InstantSource.system();

    /** Reads the millisecond wall clock directly. */
    @Benchmark
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    /** Reads the millisecond wall clock the way the in-memory limiter does. */
    @Benchmark
    public long instantSourceMillis() {
        return clock.millis();
    }

    /** Reads the monotonic nanosecond clock. */
    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
    }
}
