package dev.tierlimit.benchmarks;

import dev.tierlimit.InMemorySlidingWindowLimiter;
import dev.tierlimit.Limit;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

/**
 * Measures the heap each contender needs per tracked key with the limits of the standard Enterprise
 * tier, and what one key costs after it has used the whole 30-day maximum.
 *
 * <p>Per key, two ways: the growth of the heap used after a full garbage collection when the keys
 * are added, and, up to 100,000 keys, the size of the contender's object graph as JOL walks it. Both
 * leave out the key strings, which the application keeps anyway, and count everything else: maps,
 * per-key objects and arrays. Each key has made one request.
 *
 * <p>Run it from the repository root with the key counts to measure:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.tierlimit.benchmarks.MemoryPerKey 100000 1000000
 * </pre>
 */
public final class MemoryPerKey {

    /** JOL keeps a record per object it walks, so larger key counts are measured by heap only. */
    private static final int JOL_MAX_KEYS = 100_000;

    /** 5,000,000 requests evenly over 30 days: one every 518.4 ms, within every Enterprise maximum. */
    private static final long FULL_KEY_REQUESTS = 5_000_000L;

    /** The contenders whose per-key state differs; the decision and probe variants share theirs. */
    private static final List<ContenderType> MEASURED = List.of(ContenderType.TIERLIMIT, ContenderType.BUCKET4J,
            ContenderType.RESILIENCE4J, ContenderType.GUAVA, ContenderType.SLIDING_LOG);

    static {
        // Unsafe gives no field offsets for records such as Limit; JOL then needs its own way to find them.
        System.setProperty("jol.magicFieldOffset", "true");
    }

    private MemoryPerKey() {
    }

    /**
     * Prints the report for the key counts given as arguments, 100,000 and 1,000,000 by default.
     *
     * @throws NumberFormatException if an argument is not a whole number
     */
    public static void main(String[] args) {
        int[] keyCounts = args.length == 0 ? new int[] {100_000, 1_000_000} : new int[args.length];
        for (int i = 0; i < args.length; i++) {
            keyCounts[i] = Integer.parseInt(args[i]);
        }
        System.out.println(report(keyCounts));
    }

    /** Measures every contender at each key count and returns the results as Markdown tables. */
    static String report(int[] keyCounts) {
        StringBuilder out = new StringBuilder();
        out.append("Heap per tracked key, Enterprise limits (10,000/hour, 200,000/day, 5,000,000/30 days), "
                + "one request per key, key strings excluded. JVM: ").append(vmDescription()).append("\n\n");
        out.append("| contender | keys | heap after GC, bytes per key | JOL, bytes per key |\n");
        out.append("|---|---:|---:|---:|\n");
        for (ContenderType type : MEASURED) {
            for (int keyCount : keyCounts) {
                PerKey measured = measurePerKey(type, keyCount);
                out.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %s |%n",
                        type, keyCount, measured.heapBytes(), measured.jolColumn()));
            }
        }

        out.append("\nOne key after ").append(String.format(Locale.ROOT, "%,d", FULL_KEY_REQUESTS))
                .append(" requests spread evenly over 30 days (every Enterprise maximum respected), JOL:\n\n");
        out.append("| contender | timestamps held (hour, day, 30 days) | bytes for the limiter holding only this key |\n");
        out.append("|---|---|---:|\n");
        out.append(fullKeyRows());
        return out.toString();
    }

    /** Bytes per key, from the heap after GC and from JOL; {@code jolBytes} is -1 where JOL was not run. */
    private record PerKey(long heapBytes, long jolBytes) {

        String jolColumn() {
            return jolBytes < 0 ? "not measured" : String.format(Locale.ROOT, "%,d", jolBytes);
        }
    }

    private static PerKey measurePerKey(ContenderType type, int keyCount) {
        String[] keys = KeySequence.keyNames(keyCount);
        long before = heapUsedAfterGc();
        Contender contender = type.create(Limits.enterprise());
        for (String key : keys) {
            contender.expectAdmitted(key);
        }
        long heapBytes = (heapUsedAfterGc() - before) / keyCount;

        long jolBytes = -1;
        if (keyCount <= JOL_MAX_KEYS) {
            long keyStrings = GraphLayout.parseInstance((Object) keys).totalSize() - VM.current().sizeOf(keys);
            jolBytes = (GraphLayout.parseInstance(contender).totalSize() - keyStrings) / keyCount;
        }
        Reference.reachabilityFence(contender);
        return new PerKey(heapBytes, jolBytes);
    }

    /** Drives tierlimit and the sliding log through the same requests on a manual clock and sizes both. */
    private static String fullKeyRows() {
        String key = "account:acct_full";
        List<Limit> limits = Limits.enterprise();
        ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z").toEpochMilli());
        InMemorySlidingWindowLimiter tierlimit = InMemorySlidingWindowLimiter.builder().clock(clock).build();
        SlidingLog log = new SlidingLog(limits, clock);

        long spacingMicros = Duration.ofDays(30).toNanos() / 1000 / FULL_KEY_REQUESTS;
        long startMillis = clock.millis();
        for (long i = 0; i < FULL_KEY_REQUESTS; i++) {
            clock.setMillis(startMillis + i * spacingMicros / 1000);
            boolean tierlimitAdmitted = tierlimit.tryConsume(key, limits, 1);
            boolean logAdmitted = log.tryConsume(key);
            if (!tierlimitAdmitted || !logAdmitted) {
                throw new IllegalStateException("request " + (i + 1) + " of " + FULL_KEY_REQUESTS
                        + " was rejected (tierlimit admitted: " + tierlimitAdmitted + ", sliding log admitted: "
                        + logAdmitted + "); the spacing should keep every Enterprise limit");
            }
        }
        String tierlimitRow = String.format(Locale.ROOT, "| %s | none: %d slot counters per window | %,d |%n",
                ContenderType.TIERLIMIT, InMemorySlidingWindowLimiter.DEFAULT_PRECISION + 1,
                GraphLayout.parseInstance(tierlimit).totalSize());
        String logRow = String.format(Locale.ROOT, "| %s | %s | %,d |%n",
                ContenderType.SLIDING_LOG, describeSizes(log.logSizes(key)), GraphLayout.parseInstance(log).totalSize());
        return tierlimitRow + logRow;
    }

    private static String describeSizes(long[] sizes) {
        StringBuilder out = new StringBuilder();
        for (long size : sizes) {
            out.append(out.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,d", size));
        }
        return out.toString();
    }

    private static long heapUsedAfterGc() {
        // Several collections, because one full collection can leave objects that a finalizer or a
        // reference queue releases only afterwards.
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String vmDescription() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB";
    }
}
