package dev.tierlimit.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs one of three named selections of the benchmarks, writes all their results to one JMH JSON
 * file and then measures memory per key with {@link MemoryPerKey}.
 *
 * <ul>
 *   <li>{@code quick}: a subset with one fork and short iterations, under five minutes on two cores;
 *       preliminary numbers.
 *   <li>{@code full}: every benchmark and parameter with the settings of {@link BenchmarkSettings},
 *       about 70 minutes on two cores (estimated from the quick profile's cost per fork); see
 *       {@link #withOverrides} for a shorter run.
 *   <li>{@code smoke}: one short iteration of one benchmark and a small memory count, to check in CI
 *       that the benchmarks still build and run.
 * </ul>
 *
 * Every profile runs JMH's GC profiler, so each result also carries its allocation per check
 * ({@code gc.alloc.rate.norm}). Run it from the repository root:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.tierlimit.benchmarks.Profiles quick [results-directory]
 * </pre>
 *
 * The results go to {@code jmh.json} and {@code memory.md} in the results directory, by default
 * {@code benchmarks/target/results/PROFILE}.
 */
public final class Profiles {

    private Profiles() {
    }

    /**
     * Runs the profile named by the first argument.
     *
     * @param args the profile ({@code quick}, {@code full} or {@code smoke}) and optionally the results directory
     */
    public static void main(String[] args) throws RunnerException, IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: Profiles quick|full|smoke [results-directory]");
            System.exit(2);
        }
        String profile = args[0].toLowerCase(Locale.ROOT);
        List<ChainedOptionsBuilder> passes = passes(profile);
        Path directory = Path.of(args.length > 1 ? args[1] : "benchmarks/target/results/" + profile);
        Files.createDirectories(directory);

        boolean redis = redisReachable();
        if (!redis) {
            System.out.println("Redis is not answering at " + redisAddress() + "; RedisLimiterBenchmark is skipped."
                    + " Start Redis or set -Dtierlimit.redis.uri=redis://HOST:PORT to include it.");
        }
        List<RunResult> results = new ArrayList<>();
        for (ChainedOptionsBuilder pass : passes) {
            if (!redis) {
                pass.exclude(includeClass(RedisLimiterBenchmark.class));
            }
            results.addAll(new Runner(pass.addProfiler(GCProfiler.class).shouldFailOnError(true).build()).run());
        }
        Path json = directory.resolve("jmh.json");
        try (PrintStream out = new PrintStream(Files.newOutputStream(json), true, StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, out).writeOut(results);
        }

        String memory = MemoryPerKey.report(memoryKeyCounts(profile));
        Files.writeString(directory.resolve("memory.md"), memory);
        System.out.println(memory);
        System.out.println("Results: " + json + " and " + directory.resolve("memory.md"));
    }

    /**
     * Returns the JMH runs of a profile, each without a profiler or error policy yet.
     *
     * @throws IllegalArgumentException if the profile is unknown
     */
    static List<ChainedOptionsBuilder> passes(String profile) {
        switch (profile) {
            case "quick":
                return quickPasses();
            case "full":
                return List.of(withOverrides(
                        new OptionsBuilder().include(includePrefix(BenchmarkSettings.class.getPackageName() + "."))));
            case "smoke":
                return List.of(new OptionsBuilder()
                        .include(includeClass(KeyScalingBenchmark.class))
                        .param("contender", ContenderType.TIERLIMIT.name())
                        .param("keys", "1")
                        .param("distribution", "uniform")
                        .forks(1)
                        .warmupIterations(0)
                        .measurementIterations(1)
                        .measurementTime(TimeValue.milliseconds(200)));
            default:
                throw new IllegalArgumentException("unknown profile \"" + profile + "\"; use quick, full or smoke");
        }
    }

    /**
     * Applies the system properties {@code tierlimit.bench.forks}, {@code tierlimit.bench.warmups} and
     * {@code tierlimit.bench.iterations}, when set, over the settings of {@link BenchmarkSettings}, so a
     * full run can trade forks for time: one fork with 3 warmup and 5 measured iterations takes about
     * half an hour on two cores instead of about 70 minutes.
     */
    private static ChainedOptionsBuilder withOverrides(ChainedOptionsBuilder options) {
        Integer forks = Integer.getInteger("tierlimit.bench.forks");
        Integer warmups = Integer.getInteger("tierlimit.bench.warmups");
        Integer iterations = Integer.getInteger("tierlimit.bench.iterations");
        if (forks != null) {
            options.forks(forks);
        }
        if (warmups != null) {
            options.warmupIterations(warmups);
        }
        if (iterations != null) {
            options.measurementIterations(iterations);
        }
        return options;
    }

    /** Returns whether something accepts connections at the Redis address within half a second. */
    private static boolean redisReachable() {
        URI address = redisAddress();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.getHost(), address.getPort() < 0 ? 6379 : address.getPort()), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static URI redisAddress() {
        return URI.create(System.getProperty("tierlimit.redis.uri", "redis://127.0.0.1:6379"));
    }

    /** Returns the key counts {@link MemoryPerKey} measures in a profile. */
    static int[] memoryKeyCounts(String profile) {
        switch (profile) {
            case "full":
                return new int[] {100_000, 1_000_000};
            case "quick":
                return new int[] {100_000};
            default:
                return new int[] {1_000};
        }
    }

    /**
     * Returns the passes of the quick profile. They run the clock, key scaling at 1, 1,000 and
     * 1,000,000 uniform keys and at 1,000,000 Zipf keys, and the rejected path on one key. They add
     * limit sizes 60 and 5,000,000, precision on one key, the thread benchmarks for tierlimit and
     * Bucket4j, the whole filter, and the Redis limiter when Redis accepts connections.
     */
    private static List<ChainedOptionsBuilder> quickPasses() {
        return List.of(
                quick().include(includeClass(ClockBenchmark.class)),
                quick().include(includeClass(KeyScalingBenchmark.class))
                        .param("keys", "1", "1000", "1000000")
                        .param("distribution", "uniform"),
                quick().include(includeClass(KeyScalingBenchmark.class))
                        .param("keys", "1000000")
                        .param("distribution", "zipf"),
                quick().include(includeClass(RejectedPathBenchmark.class))
                        .param("keys", "1"),
                quick().include(includeClass(LimitSizeBenchmark.class))
                        .param("contender", ContenderType.TIERLIMIT.name(), ContenderType.TIERLIMIT_DECISION.name(),
                                ContenderType.BUCKET4J.name(), ContenderType.SLIDING_LOG.name())
                        .param("maximum", "60", "5000000"),
                quick().include(includeClass(PrecisionBenchmark.class))
                        .param("contender", ContenderType.TIERLIMIT_DECISION.name())
                        .param("keys", "1"),
                quick().include(includeClass(ThreadsBenchmark.class))
                        .param("contender", ContenderType.TIERLIMIT.name(), ContenderType.BUCKET4J.name()),
                quick().include(includeClass(FilterBenchmark.class)),
                quick().include(includeClass(RedisLimiterBenchmark.class)));
    }

    private static ChainedOptionsBuilder quick() {
        return new OptionsBuilder()
                .forks(1)
                .warmupIterations(1)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(2)
                .measurementTime(TimeValue.milliseconds(500));
    }

    /** Returns the include pattern of every benchmark method of {@code type}. */
    static String includeClass(Class<?> type) {
        return includePrefix(type.getName() + ".");
    }

    /** Returns an include pattern matching benchmark names that start with {@code prefix}, dots taken literally. */
    private static String includePrefix(String prefix) {
        return "^" + prefix.replace(".", "\\.");
    }
}
