package dev.tierlimit.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Throughput of admitted checks with one and two threads, all on one shared key or each thread on
 * its own key. Results are total checks per microsecond over all threads, so two threads that never
 * contend would score twice one thread.
 *
 * <p>Each thread's own key is created by that thread's first check, as it would be in a server,
 * which keeps the two keys' state out of each other's cache lines.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ThreadsBenchmark extends BenchmarkSettings {

    private static final int MAX_THREADS = 2;

    @Param
    public ContenderType contender;

    private Contender limiter;
    private String sharedKey = "account:acct_shared";
    private final String[] threadKeys = {"account:acct_thread0", "account:acct_thread1"};
    private final AtomicInteger threadsSeen = new AtomicInteger();

    @Setup
    public void createLimiter() {
        limiter = contender.create(Limits.unreachable());
        limiter.expectAdmitted(sharedKey);
    }

    @Setup(Level.Iteration)
    public void clearUnboundedHistory() {
        limiter.clearUnboundedHistory();
    }

    /** Fails the run if a contender started rejecting; checks the thread keys only once their threads created them. */
    @TearDown(Level.Iteration)
    public void verifyStillAdmitting() {
        limiter.expectAdmitted(sharedKey);
        for (int i = 0; i < Math.min(threadsSeen.get(), MAX_THREADS); i++) {
            limiter.expectAdmitted(threadKeys[i]);
        }
    }

    /** The key of one benchmark thread. */
    @State(Scope.Thread)
    public static class ThreadKey {
        String key;

        @Setup
        public void pickKey(ThreadsBenchmark benchmark) {
            int index = benchmark.threadsSeen.getAndIncrement();
            if (index >= MAX_THREADS) {
                throw new IllegalStateException("this benchmark has keys for " + MAX_THREADS
                        + " threads, got a thread number " + (index + 1) + "; run it without -t");
            }
            key = benchmark.threadKeys[index];
        }
    }

    @Benchmark
    @Threads(1)
    public Object sharedKey1Thread() {
        return limiter.check(sharedKey);
    }

    @Benchmark
    @Threads(2)
    public Object sharedKey2Threads() {
        return limiter.check(sharedKey);
    }

    @Benchmark
    @Threads(1)
    public Object distinctKeys1Thread(ThreadKey thread) {
        return limiter.check(thread.key);
    }

    @Benchmark
    @Threads(2)
    public Object distinctKeys2Threads(ThreadKey thread) {
        return limiter.check(thread.key);
    }
}
