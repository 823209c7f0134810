package dev.tierlimit;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Touches the tier catalog, limits, tiers and the limiter for the first time from many threads at
 * the same instant, in a fresh JVM started by {@link StartupRaceTest}. Class initialization that
 * forms a cycle between these classes can deadlock exactly then, and only once per JVM, so the race
 * must run where nothing has loaded them yet.
 *
 * <p>Exits 0 when every thread finished without error, 1 on an error, and 2 with a dump of every
 * thread's stack when the threads have not finished after 30 s.
 */
public final class StartupRace {

    private static final int THREADS = 16;

    private StartupRace() {
    }

    public static void main(String[] args) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int first = t;
            Thread thread = new Thread(() -> {
                try {
                    ready.countDown();
                    start.await();
                    // Each thread begins with a different entry point, then uses the others too.
                    for (int step = 0; step < 4; step++) {
                        touch((first + step) % 4);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "startup-race-" + t);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        ready.await();
        start.countDown();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (thread.isAlive()) {
                System.err.println("threads still running after 30 s; stacks follow");
                for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
                    System.err.println(entry.getKey());
                    for (StackTraceElement element : entry.getValue()) {
                        System.err.println("    at " + element);
                    }
                }
                System.exit(2);
            }
        }
        if (failure.get() != null) {
            failure.get().printStackTrace();
            System.exit(1);
        }
        System.out.println("all " + THREADS + " threads finished");
    }

    private static void touch(int entryPoint) {
        switch (entryPoint) {
            case 0 -> check(TierCatalog.standard().tiers().size() == 4, "standard catalog has 4 tiers");
            case 1 -> check(Limit.hourly(60).maximum() == 60, "hourly limit keeps its maximum");
            case 2 -> {
                Tier custom = new Tier("custom", "Custom", BigDecimal.ONE, List.of(Limit.daily(5)), 1, List.of(), 9);
                check(custom.limit("daily").isPresent(), "custom tier has its daily limit");
                check(TierCatalog.standard().get("pro").limits().size() == 3, "pro tier has 3 limits");
            }
            default -> check(InMemorySlidingWindowLimiter.create()
                    .tryAcquire("key", List.of(Limit.hourly(1))).admitted(), "first request is admitted");
        }
    }

    private static void check(boolean condition, String expectation) {
        if (!condition) {
            throw new IllegalStateException("expected: " + expectation);
        }
    }
}
