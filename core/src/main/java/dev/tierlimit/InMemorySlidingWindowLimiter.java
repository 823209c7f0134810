package dev.tierlimit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link SlidingWindowLimiter} that keeps its counters in this JVM's heap.
 *
 * <h2>Design</h2>
 * Every key owns one small state object in a {@link ConcurrentHashMap}: per window length, a ring of
 * {@code precision + 1} slot counters, the ring's total and the oldest non-empty slot. A check reads
 * the clock once, looks the key up once and works under the state's monitor, so calls for one key are
 * linearizable while different keys never contend. Moving to a new slot clears the slots that leave
 * the window. Within a slot nothing is cleared, so the common check is a few comparisons and
 * additions. The cost does not depend on the number of keys or on the size of the maxima.
 *
 * <p>Why it never over-admits: any interval of length {@code W} that ends at a request in slot
 * {@code i} lies within slots {@code i - N} to {@code i}, and the check admitted that request only if
 * those slots held at most the maximum.
 *
 * <p>Memory: with the three standard windows at the default precision of 60, a key costs about
 * 900 bytes of state (183 {@code int} counters plus bookkeeping) and its map entry. Counters widen to
 * {@code long} only when a slot exceeds {@link Integer#MAX_VALUE}. Usage is counted only in the
 * windows the request's limits name.
 *
 * <p>Clock steps: each key remembers the latest time it saw and treats an earlier clock reading as
 * that time, so nothing is released early and retry times stay measured from the key's time.
 *
 * <p>Eviction: keys whose windows are all empty are removed by {@link #evictIdle()}. Unless the
 * eviction interval is zero, the first call after each interval runs that sweep, on the calling thread
 * or on the executor given to the builder. A sweep visits every tracked key once. An evicted key
 * loses its latest time, so after a clock step back its next decision is dated at the clock. Since
 * such a key counts nothing, that admits nothing extra.
 *
 * <p>Thread-safe.
 */
public final class InMemorySlidingWindowLimiter implements SlidingWindowLimiter {

    /** The default number of slots per window. */
    public static final int DEFAULT_PRECISION = 60;

    /** The largest precision the builder accepts, which bounds the memory of one key. */
    public static final int MAX_PRECISION = 10_000;

    private final int precision;
    private final InstantSource clock;
    private final long evictionIntervalMillis;
    private final Executor evictionExecutor;
    private final ConcurrentHashMap<String, KeyState> states = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<WindowLayout.LayoutKey, WindowLayout> layouts = new ConcurrentHashMap<>();
    private final AtomicLong nextEvictionMillis;

    private InMemorySlidingWindowLimiter(Builder builder) {
        this.precision = builder.precision;
        this.clock = builder.clock;
        this.evictionIntervalMillis = builder.evictionInterval.toMillis();
        this.evictionExecutor = builder.evictionExecutor;
        this.nextEvictionMillis = new AtomicLong(clock.millis() + evictionIntervalMillis);
    }

    /** Creates a limiter with precision 60, the system clock and eviction every minute on the calling thread. */
    public static InMemorySlidingWindowLimiter create() {
        return builder().build();
    }

    /** Returns a builder with the defaults of {@link #create()}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Decision tryAcquire(String key, List<Limit> limits, long cost) {
        checkArguments(key, limits, cost);
        long clockMillis = clock.millis();
        maybeEvict(clockMillis);
        if (exceedsAMaximum(limits, cost)) {
            checkWindows(limits);
            return costExceedsMaximum(key, limits, cost, clockMillis);
        }
        while (true) {
            KeyState state = stateFor(key, limits, clockMillis);
            synchronized (state) {
                if (!state.retired) {
                    WindowLayout.Mapping mapping = prepare(state, limits, clockMillis);
                    return decide(state, mapping, cost);
                }
            }
        }
    }

    /** Checks and counts like {@link #tryAcquire(String, List, long)}, allocating nothing once the key is tracked. */
    @Override
    public boolean tryConsume(String key, List<Limit> limits, long cost) {
        checkArguments(key, limits, cost);
        long clockMillis = clock.millis();
        maybeEvict(clockMillis);
        if (exceedsAMaximum(limits, cost)) {
            checkWindows(limits);
            advanceIfTracked(key, clockMillis);
            return false;
        }
        while (true) {
            KeyState state = stateFor(key, limits, clockMillis);
            synchronized (state) {
                if (!state.retired) {
                    WindowLayout.Mapping mapping = prepare(state, limits, clockMillis);
                    if (!fitsEveryLimit(state, mapping, cost)) {
                        return false;
                    }
                    count(state, mapping, cost);
                    return true;
                }
            }
        }
    }

    @Override
    public List<LimitStatus> usage(String key, List<Limit> limits) {
        checkArguments(key, limits, 1);
        checkWindows(limits);
        long clockMillis = clock.millis();
        KeyState state = states.get(key);
        if (state != null) {
            synchronized (state) {
                if (!state.retired) {
                    state.advanceTo(Math.max(clockMillis, state.advancedMillis));
                    return statuses(state, limits);
                }
            }
        }
        return emptyStatuses(limits, clockMillis);
    }

    @Override
    public void reset(String key) {
        Objects.requireNonNull(key, "key");
        KeyState state = states.remove(key);
        if (state != null) {
            synchronized (state) {
                state.retired = true;
            }
        }
    }

    @Override
    public int precision() {
        return precision;
    }

    /** Returns the number of keys currently tracked, idle ones not yet evicted included. */
    public long trackedKeys() {
        return states.mappingCount();
    }

    /**
     * Removes every key whose windows are all empty now. Runs in time proportional to the number of
     * tracked keys; concurrent checks go on meanwhile.
     *
     * @return the number of keys removed
     */
    public int evictIdle() {
        long clockMillis = clock.millis();
        int evicted = 0;
        for (Map.Entry<String, KeyState> entry : states.entrySet()) {
            KeyState state = entry.getValue();
            synchronized (state) {
                if (state.retired) {
                    continue;
                }
                state.advanceTo(Math.max(clockMillis, state.advancedMillis));
                if (state.isEmpty()) {
                    state.retired = true;
                    states.remove(entry.getKey(), state);
                    evicted++;
                }
            }
        }
        return evicted;
    }

    /**
     * Copies the counted usage of every key that has any. Keys keep being checked meanwhile; each key
     * is copied atomically, the whole snapshot is not.
     */
    public LimiterSnapshot snapshot() {
        long clockMillis = clock.millis();
        List<LimiterSnapshot.KeySnapshot> keys = new ArrayList<>();
        for (Map.Entry<String, KeyState> entry : states.entrySet()) {
            KeyState state = entry.getValue();
            synchronized (state) {
                if (state.retired) {
                    continue;
                }
                state.advanceTo(Math.max(clockMillis, state.advancedMillis));
                if (!state.isEmpty()) {
                    keys.add(snapshotOf(entry.getKey(), state));
                }
            }
        }
        return new LimiterSnapshot(precision, Instant.ofEpochMilli(clockMillis), keys);
    }

    /**
     * Loads the usage of a snapshot, replacing whatever this limiter counts for the same keys. Usage
     * that has expired by now stops counting at the next check, as it would have without a restart.
     *
     * @throws IllegalArgumentException if the snapshot's precision differs from this limiter's, or a
     *     window's newest slot does not match the key's latest time
     */
    public void restore(LimiterSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        if (snapshot.precision() != precision) {
            throw new IllegalArgumentException("snapshot precision " + snapshot.precision()
                    + " differs from this limiter's precision " + precision
                    + "; restore it into a limiter built with precision(" + snapshot.precision() + ")");
        }
        for (LimiterSnapshot.KeySnapshot key : snapshot.keys()) {
            KeyState state = restoredState(key);
            KeyState previous = states.put(key.key(), state);
            if (previous != null) {
                synchronized (previous) {
                    previous.retired = true;
                }
            }
        }
    }

    private KeyState restoredState(LimiterSnapshot.KeySnapshot key) {
        long[] windowMillis = new long[key.windows().size()];
        for (int w = 0; w < windowMillis.length; w++) {
            windowMillis[w] = key.windows().get(w).windowMillis();
        }
        KeyState state = new KeyState(intern(new WindowLayout(windowMillis, precision)), key.latestMillis());
        for (int w = 0; w < windowMillis.length; w++) {
            LimiterSnapshot.WindowSnapshot window = key.windows().get(w);
            long expectedSlot = Math.floorDiv(key.latestMillis(), state.layout.slotMillis[w]);
            if (window.newestSlot() != expectedSlot) {
                throw new IllegalArgumentException("key \"" + key.key() + "\": window of " + window.windowMillis()
                        + " ms ends at slot " + window.newestSlot() + " but its latest time "
                        + key.latestMillis() + " is in slot " + expectedSlot);
            }
            state.loadSlotCounts(w, window.counts());
        }
        return state;
    }

    private static LimiterSnapshot.KeySnapshot snapshotOf(String key, KeyState state) {
        List<LimiterSnapshot.WindowSnapshot> windows = new ArrayList<>();
        WindowLayout layout = state.layout;
        for (int w = 0; w < layout.size(); w++) {
            long newestSlot = Math.floorDiv(state.advancedMillis, layout.slotMillis[w]);
            windows.add(new LimiterSnapshot.WindowSnapshot(layout.windowMillis[w], newestSlot, state.slotCounts(w)));
        }
        return new LimiterSnapshot.KeySnapshot(key, state.advancedMillis, windows);
    }

    /**
     * Validates the arguments of every call. Windows are checked where they are first used: a window in a
     * key's layout was checked when it was added, and the paths that use no layout call {@link #checkWindows}.
     */
    private static void checkArguments(String key, List<Limit> limits, long cost) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(limits, "limits");
        if (limits.isEmpty()) {
            throw new IllegalArgumentException("at least one limit is required for key \"" + key + "\"");
        }
        if (cost < 1) {
            throw new IllegalArgumentException("cost must be at least 1: " + cost);
        }
    }

    /** Checks that every window divides into this limiter's slots, for the paths that create no layout. */
    private void checkWindows(List<Limit> limits) {
        for (int k = 0; k < limits.size(); k++) {
            WindowLayout.slotMillis(limits.get(k).windowMillis(), precision);
        }
    }

    private static boolean exceedsAMaximum(List<Limit> limits, long cost) {
        for (int k = 0; k < limits.size(); k++) {
            if (cost > limits.get(k).maximum()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Moves a tracked key's time up to the clock, as {@link #tryAcquire} does for the same request, so
     * that both calls leave the key in the same state.
     */
    private void advanceIfTracked(String key, long clockMillis) {
        KeyState state = states.get(key);
        if (state != null) {
            synchronized (state) {
                if (!state.retired) {
                    state.advanceTo(Math.max(clockMillis, state.advancedMillis));
                }
            }
        }
    }

    private KeyState stateFor(String key, List<Limit> limits, long clockMillis) {
        KeyState state = states.get(key);
        if (state == null) {
            KeyState created = new KeyState(layoutFor(limits, null), clockMillis);
            state = states.putIfAbsent(key, created);
            if (state == null) {
                state = created;
            }
        }
        return state;
    }

    /**
     * Brings the state to the current time, makes it track every window the limits name, and returns
     * where each limit is tracked. The caller owns the state's monitor.
     */
    private WindowLayout.Mapping prepare(KeyState state, List<Limit> limits, long clockMillis) {
        WindowLayout.Mapping mapping = state.layout.mappingFor(limits);
        if (mapping == null) {
            state.extendTo(layoutFor(limits, state.layout));
            mapping = state.layout.mappingFor(limits);
        }
        state.advanceTo(Math.max(clockMillis, state.advancedMillis));
        return mapping;
    }

    private static boolean fitsEveryLimit(KeyState state, WindowLayout.Mapping mapping, long cost) {
        List<Limit> limits = mapping.limits;
        for (int k = 0; k < limits.size(); k++) {
            if (cost > limits.get(k).maximum() - state.used(mapping.windowOf[k])) {
                return false;
            }
        }
        return true;
    }

    /** Adds the cost once to each distinct window the limits name; two limits may share a window. */
    private static void count(KeyState state, WindowLayout.Mapping mapping, long cost) {
        for (int w : mapping.distinctWindows) {
            state.add(w, cost);
        }
    }

    private static Decision decide(KeyState state, WindowLayout.Mapping mapping, long cost) {
        if (fitsEveryLimit(state, mapping, cost)) {
            count(state, mapping, cost);
            return admittedDecision(state, mapping, cost);
        }
        return rejectedDecision(state, mapping, cost);
    }

    /** Builds an admitted decision; the binding limit is the one with the least remaining, the first on ties. */
    private static Decision admittedDecision(KeyState state, WindowLayout.Mapping mapping, long cost) {
        List<Limit> limits = mapping.limits;
        long[] values = statusValues(state, mapping);
        int binding = 0;
        for (int k = 1; k < limits.size(); k++) {
            if (remaining(limits, values, k) < remaining(limits, values, binding)) {
                binding = k;
            }
        }
        return new Decision(Decision.Outcome.ADMITTED, cost, state.advancedMillis, limits, values,
                new boolean[limits.size()], binding, -1);
    }

    /**
     * Builds a rejected decision. For each limit without room it finds the moment enough of its oldest
     * slots have left the window; the latest of those binds, the first on ties, and sets the retry time.
     */
    private static Decision rejectedDecision(KeyState state, WindowLayout.Mapping mapping, long cost) {
        List<Limit> limits = mapping.limits;
        boolean[] violated = new boolean[limits.size()];
        int binding = -1;
        long bindingRelease = 0;
        for (int k = 0; k < limits.size(); k++) {
            int w = mapping.windowOf[k];
            long room = limits.get(k).maximum() - state.used(w);
            if (cost > room) {
                violated[k] = true;
                long release = state.releaseMillis(w, cost - room);
                if (binding < 0 || release > bindingRelease) {
                    binding = k;
                    bindingRelease = release;
                }
            }
        }
        return new Decision(Decision.Outcome.REJECTED, cost, state.advancedMillis, limits, statusValues(state, mapping),
                violated, binding, bindingRelease - state.advancedMillis);
    }

    /** Returns used and reset time per limit, in the layout {@link Decision} keeps them. */
    private static long[] statusValues(KeyState state, WindowLayout.Mapping mapping) {
        long[] values = new long[2 * mapping.windowOf.length];
        for (int k = 0; k < mapping.windowOf.length; k++) {
            int w = mapping.windowOf[k];
            values[2 * k] = state.used(w);
            values[2 * k + 1] = state.resetAtMillis(w);
        }
        return values;
    }

    private static long remaining(List<Limit> limits, long[] values, int k) {
        return Math.max(0, limits.get(k).maximum() - values[2 * k]);
    }

    /** Builds one status per limit for a usage read; windows the key does not track count nothing. */
    private static List<LimitStatus> statuses(KeyState state, List<Limit> limits) {
        List<LimitStatus> statuses = new ArrayList<>(limits.size());
        for (int k = 0; k < limits.size(); k++) {
            Limit limit = limits.get(k);
            int w = state.layout.indexOf(limit.windowMillis());
            long used = w < 0 ? 0 : state.used(w);
            long resetMillis = w < 0 ? state.advancedMillis : state.resetAtMillis(w);
            statuses.add(new LimitStatus(limit, used, Math.max(0, limit.maximum() - used),
                    Instant.ofEpochMilli(resetMillis), false));
        }
        return statuses;
    }

    private static List<LimitStatus> emptyStatuses(List<Limit> limits, long clockMillis) {
        Instant now = Instant.ofEpochMilli(clockMillis);
        List<LimitStatus> statuses = new ArrayList<>(limits.size());
        for (Limit limit : limits) {
            statuses.add(new LimitStatus(limit, 0, limit.maximum(), now, false));
        }
        return statuses;
    }

    /**
     * Builds the decision for a request that no wait can admit. Like every decision, it is dated at
     * the key's latest time, which is later than the clock after a clock step back.
     */
    private Decision costExceedsMaximum(String key, List<Limit> limits, long cost, long clockMillis) {
        KeyState state = states.get(key);
        if (state != null) {
            synchronized (state) {
                if (!state.retired) {
                    state.advanceTo(Math.max(clockMillis, state.advancedMillis));
                    return costExceedsMaximum(statuses(state, limits), cost, state.advancedMillis);
                }
            }
        }
        return costExceedsMaximum(emptyStatuses(limits, clockMillis), cost, clockMillis);
    }

    private static Decision costExceedsMaximum(List<LimitStatus> read, long cost, long decidedMillis) {
        List<LimitStatus> statuses = new ArrayList<>(read.size());
        int binding = -1;
        for (int k = 0; k < read.size(); k++) {
            LimitStatus status = read.get(k);
            boolean violated = cost > status.maximum();
            statuses.add(new LimitStatus(status.limit(), status.used(), status.remaining(), status.resetAt(), violated));
            if (violated && (binding < 0 || status.maximum() < statuses.get(binding).maximum())) {
                binding = k;
            }
        }
        return new Decision(Decision.Outcome.COST_EXCEEDS_MAXIMUM, cost, Instant.ofEpochMilli(decidedMillis), statuses,
                binding, null);
    }

    /** Returns the shared layout for the windows of {@code base} (if any) followed by the new windows of {@code limits}. */
    private WindowLayout layoutFor(List<Limit> limits, WindowLayout base) {
        long[] windows = base == null ? new long[0] : base.windowMillis.clone();
        for (Limit limit : limits) {
            long millis = limit.windowMillis();
            boolean known = false;
            for (long window : windows) {
                known |= window == millis;
            }
            if (!known) {
                WindowLayout.slotMillis(millis, precision);
                windows = Arrays.copyOf(windows, windows.length + 1);
                windows[windows.length - 1] = millis;
            }
        }
        return intern(new WindowLayout(windows, precision));
    }

    private WindowLayout intern(WindowLayout layout) {
        WindowLayout shared = layouts.putIfAbsent(layout.key(), layout);
        return shared == null ? layout : shared;
    }

    private void maybeEvict(long clockMillis) {
        if (evictionIntervalMillis <= 0) {
            return;
        }
        long due = nextEvictionMillis.get();
        if (clockMillis < due || !nextEvictionMillis.compareAndSet(due, clockMillis + evictionIntervalMillis)) {
            return;
        }
        if (evictionExecutor == null) {
            evictIdle();
            return;
        }
        try {
            evictionExecutor.execute(this::evictIdle);
        } catch (RejectedExecutionException e) {
            // The executor is shutting down; the next interval tries again and evictIdle() stays available.
        }
    }

    @Override
    public String toString() {
        return "InMemorySlidingWindowLimiter[precision=" + precision + ", trackedKeys=" + states.mappingCount() + "]";
    }

    /** Configures an {@link InMemorySlidingWindowLimiter}. Not thread-safe. */
    public static final class Builder {

        private int precision = DEFAULT_PRECISION;
        private InstantSource clock = InstantSource.system();
        private Duration evictionInterval = Duration.ofMinutes(1);
        private Executor evictionExecutor;

        private Builder() {
        }

        /**
         * Sets the number of slots per window, 60 by default. More slots release usage more smoothly
         * and cost memory in proportion. Every window must be a multiple of this many milliseconds.
         *
         * @throws IllegalArgumentException if {@code precision} is outside 1 to {@value #MAX_PRECISION}
         */
        public Builder precision(int precision) {
            if (precision < 1 || precision > MAX_PRECISION) {
                throw new IllegalArgumentException("precision must be between 1 and " + MAX_PRECISION + ": " + precision);
            }
            this.precision = precision;
            return this;
        }

        /** Sets the time source, the system clock by default; tests pass one they control. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets how often idle keys are swept, one minute by default; {@link Duration#ZERO} turns the
         * automatic sweep off, leaving {@link #evictIdle()} to the caller.
         *
         * @throws IllegalArgumentException if the interval is negative
         */
        public Builder evictionInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("eviction interval must not be negative: " + interval);
            }
            this.evictionInterval = interval;
            return this;
        }

        /** Runs automatic sweeps on {@code executor} instead of the thread whose call falls due. */
        public Builder evictionExecutor(Executor executor) {
            this.evictionExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Builds the limiter. */
        public InMemorySlidingWindowLimiter build() {
            return new InMemorySlidingWindowLimiter(this);
        }
    }
}
