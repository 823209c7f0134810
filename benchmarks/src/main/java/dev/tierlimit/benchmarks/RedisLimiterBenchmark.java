package dev.tierlimit.benchmarks;

import dev.tierlimit.Limit;
import dev.tierlimit.redis.RedisSlidingWindowLimiter;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Admitted checks of the Redis limiter against a Redis server on loopback: one round trip each,
 * running the limiter's Lua script over the three standard windows. One key or 10,000 keys, one or
 * two threads sharing one multiplexed connection. Time comes from the Redis server, as in
 * production. Results are microseconds per check; with two threads each thread's own time is shown.
 *
 * <p>Needs a Redis at {@code redis://127.0.0.1:6379} (override with {@code -Dtierlimit.redis.uri=...}).
 * Every run uses a fresh key prefix and resets its keys when it ends.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar RedisLimiterBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class RedisLimiterBenchmark extends BenchmarkSettings {

    @Param({"1", "10000"})
    public int keys;

    private RedisSlidingWindowLimiter limiter;
    private final List<Limit> limits = Limits.unreachable();

    @Setup
    public void connect() {
        String uri = System.getProperty("tierlimit.redis.uri", "redis://127.0.0.1:6379");
        limiter = RedisSlidingWindowLimiter.builder()
                .uri(uri)
                .keyPrefix("tierlimit-bench-" + UUID.randomUUID() + ":")
                .commandTimeout(Duration.ofSeconds(2))
                .build();
        if (!limiter.tryAcquire(KeySequence.create(keys, "uniform").keys()[0], limits, 1).admitted()) {
            throw new IllegalStateException("the Redis limiter rejected the first check of the benchmark");
        }
    }

    @TearDown
    public void resetKeysAndDisconnect() {
        for (String key : KeySequence.create(keys, "uniform").keys()) {
            limiter.reset(key);
        }
        limiter.close();
    }

    /** Each thread walks its own copy of the key sequence, because a sequence's cursor is not thread-safe. */
    @State(Scope.Thread)
    public static class ThreadKeys {
        KeySequence sequence;

        @Setup
        public void createSequence(RedisLimiterBenchmark benchmark) {
            sequence = KeySequence.create(benchmark.keys, "uniform");
        }
    }

    @Benchmark
    @Threads(1)
    public Object oneThread(ThreadKeys keys) {
        return limiter.tryAcquire(keys.sequence.next(), limits, 1);
    }

    @Benchmark
    @Threads(2)
    public Object twoThreads(ThreadKeys keys) {
        return limiter.tryAcquire(keys.sequence.next(), limits, 1);
    }
}
