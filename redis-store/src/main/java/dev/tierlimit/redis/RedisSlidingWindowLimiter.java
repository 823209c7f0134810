package dev.tierlimit.redis;

import dev.tierlimit.Decision;
import dev.tierlimit.InMemorySlidingWindowLimiter;
import dev.tierlimit.Limit;
import dev.tierlimit.LimitStatus;
import dev.tierlimit.LimiterUnavailableException;
import dev.tierlimit.SlidingWindowLimiter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link SlidingWindowLimiter} whose counters live in Redis, so that every service instance that
 * uses the same Redis and key prefix shares one set of limits.
 *
 * <h2>Design</h2>
 * It makes the same decisions as {@link InMemorySlidingWindowLimiter} for the same sequence of calls
 * and times: the same epoch-aligned slots, all-or-nothing admission over every limit, exact retry
 * times, {@link Decision.Outcome#COST_EXCEEDS_MAXIMUM} for a cost above a maximum, and a per-key
 * latest time that a clock stepping back never lowers. Each check is one round trip: a Lua script,
 * loaded once and called by its SHA-1 digest with {@code EVALSHA}, reads and updates every window of
 * the key atomically, so checks on one key are linearizable across all instances.
 *
 * <p>Key layout: one Redis hash per limiter key, named {@code <prefix>{<key>}}, for example
 * {@code tierlimit:{account:acct_1}}. The braces form a Redis Cluster hash tag, so a key's state
 * stays in one cluster slot. The hash contains the key's latest time and, per window length, the
 * counts of the slots still in the window (at most {@code precision + 1}) plus three bookkeeping
 * fields. Slots that leave a window are deleted by the next call that names the window. Every check sets the
 * hash to expire after the longest window plus one slot, unless it already lives longer, so Redis
 * memory follows the active keys.
 *
 * <p>Time: by default the script reads the Redis server's {@code TIME}, so instances whose clocks
 * disagree still make one set of decisions. {@link Builder#clock(InstantSource)} makes it use the
 * caller's clock instead, for tests that drive time by hand. Key expiry always runs on the Redis
 * server's clock, so a caller's clock must not run faster than real time.
 *
 * <h2>Failures</h2>
 * Every call waits at most the command timeout (250 ms by default), connecting, reloading a lost
 * script and running it included. When Redis fails, is unreachable or does not reply in time, the
 * call throws {@link LimiterUnavailableException} naming the Redis address and the step that failed.
 * NOTE: after a timeout the script may still run on the server, so that request may have been
 * counted even though the caller saw an exception.
 *
 * <p>Thread-safe. {@link #close()} releases the connection and client it opened.
 */
public final class RedisSlidingWindowLimiter implements SlidingWindowLimiter, AutoCloseable {

    /** The default prefix of the Redis key names. */
    public static final String DEFAULT_KEY_PREFIX = "tierlimit:";

    /** The default number of slots per window, the same as the in-memory limiter's. */
    public static final int DEFAULT_PRECISION = InMemorySlidingWindowLimiter.DEFAULT_PRECISION;

    /** The default time a call may take before it throws {@link LimiterUnavailableException}. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(250);

    private final LimiterConnection redis;
    private final String keyPrefix;
    private final int precision;
    private final InstantSource clock;

    private RedisSlidingWindowLimiter(LimiterConnection redis, Builder builder) {
        this.redis = redis;
        this.keyPrefix = builder.keyPrefix;
        this.precision = builder.precision;
        this.clock = builder.clock;
    }

    /** Returns a builder, which needs {@link Builder#uri(String)} or {@link Builder#connection} before {@link Builder#build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks a request of cost {@code cost} for {@code key} against every limit and counts it when all
     * of them have room, in one call to Redis.
     *
     * @return the decision; never null
     * @throws IllegalArgumentException for the arguments {@link SlidingWindowLimiter} rejects
     * @throws LimiterUnavailableException if Redis failed or did not reply within the command timeout
     * @throws IllegalStateException if the limiter is closed
     */
    @Override
    public Decision tryAcquire(String key, List<Limit> limits, long cost) {
        checkArguments(key, limits, cost);
        WindowPlan plan = WindowPlan.of(limits, precision);
        if (exceedsAMaximum(limits, cost)) {
            ScriptReply reply = ScriptReply.parse(redis.runScript(hashName(key), plan.usageArguments(clockArgument())),
                    plan.windowCount(), 0);
            return costExceedsMaximum(limits, cost, plan, reply);
        }

        String[] arguments = plan.acquireArguments(clockArgument(), cost, limits);
        ScriptReply reply = ScriptReply.parse(redis.runScript(hashName(key), arguments), plan.windowCount(),
                limits.size());
        return reply.admitted() ? admitted(limits, cost, plan, reply) : rejected(limits, cost, plan, reply);
    }

    /**
     * Reads the status of every limit for {@code key} without counting anything, in one call to Redis.
     * Like the in-memory limiter, a read of a key that Redis stores moves the key's latest time forward
     * to the time of the read. A read of a key that Redis does not store creates nothing.
     *
     * @return one status per limit, in the order given; none is marked violated
     * @throws LimiterUnavailableException if Redis failed or did not reply within the command timeout
     * @throws IllegalStateException if the limiter is closed
     */
    @Override
    public List<LimitStatus> usage(String key, List<Limit> limits) {
        checkArguments(key, limits, 1);
        WindowPlan plan = WindowPlan.of(limits, precision);
        ScriptReply reply = ScriptReply.parse(redis.runScript(hashName(key), plan.usageArguments(clockArgument())),
                plan.windowCount(), 0);
        return statuses(limits, plan, reply, new boolean[limits.size()]);
    }

    /**
     * Deletes everything counted for {@code key}, its latest time included.
     *
     * @throws LimiterUnavailableException if Redis failed or did not reply within the command timeout
     * @throws IllegalStateException if the limiter is closed
     */
    @Override
    public void reset(String key) {
        Objects.requireNonNull(key, "key");
        redis.delete(hashName(key));
    }

    @Override
    public int precision() {
        return precision;
    }

    /** Returns the prefix of the Redis key names this limiter uses. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** Returns the name of the Redis hash that stores {@code key}'s state: {@code <prefix>{<key>}}. */
    public String hashName(String key) {
        return keyPrefix + "{" + Objects.requireNonNull(key, "key") + "}";
    }

    /** Returns the SHA-1 digest of the limiter script, the name under which Redis caches it. */
    public String scriptSha() {
        return redis.scriptSha();
    }

    /**
     * Closes the connection and client this limiter opened. A connection or client passed to the
     * builder stays open. Calls after closing throw {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        redis.close();
    }

    @Override
    public String toString() {
        return "RedisSlidingWindowLimiter[redis=" + redis.address() + ", keyPrefix=" + keyPrefix + ", precision="
                + precision + ", time=" + (clock == null ? "server" : "caller") + "]";
    }

    private String clockArgument() {
        return clock == null ? "" : Long.toString(clock.millis());
    }

    private static void checkArguments(String key, List<Limit> limits, long cost) {
        Objects.requireNonNull(key, "key");
        if (limits.isEmpty()) {
            throw new IllegalArgumentException("at least one limit is required for key \"" + key + "\"");
        }
        if (cost < 1) {
            throw new IllegalArgumentException("cost must be at least 1: " + cost);
        }
    }

    private static boolean exceedsAMaximum(List<Limit> limits, long cost) {
        for (Limit limit : limits) {
            if (cost > limit.maximum()) {
                return true;
            }
        }
        return false;
    }

    private static Decision admitted(List<Limit> limits, long cost, WindowPlan plan, ScriptReply reply) {
        List<LimitStatus> statuses = statuses(limits, plan, reply, new boolean[limits.size()]);
        int leastRemaining = 0;
        for (int k = 1; k < statuses.size(); k++) {
            if (statuses.get(k).remaining() < statuses.get(leastRemaining).remaining()) {
                leastRemaining = k;
            }
        }
        return new Decision(Decision.Outcome.ADMITTED, cost, Instant.ofEpochMilli(reply.decidedAtMillis()), statuses,
                leastRemaining, null);
    }

    /** Builds a rejection whose binding limit is the violated one with the latest room time, the first on ties. */
    private static Decision rejected(List<Limit> limits, long cost, WindowPlan plan, ScriptReply reply) {
        long[] roomAt = reply.roomAtMillis();
        boolean[] violated = new boolean[limits.size()];
        int binding = -1;
        for (int k = 0; k < limits.size(); k++) {
            violated[k] = roomAt[k] != 0;
            if (violated[k] && (binding < 0 || roomAt[k] > roomAt[binding])) {
                binding = k;
            }
        }
        Duration retryAfter = Duration.ofMillis(roomAt[binding] - reply.decidedAtMillis());
        return new Decision(Decision.Outcome.REJECTED, cost, Instant.ofEpochMilli(reply.decidedAtMillis()),
                statuses(limits, plan, reply, violated), binding, retryAfter);
    }

    /**
     * Builds the decision for a cost above some maximum from a usage read: the binding limit is the
     * violated one with the smallest maximum, and the time is the key's latest time, as for every
     * decision.
     */
    private static Decision costExceedsMaximum(List<Limit> limits, long cost, WindowPlan plan, ScriptReply reply) {
        boolean[] violated = new boolean[limits.size()];
        int binding = -1;
        for (int k = 0; k < limits.size(); k++) {
            long maximum = limits.get(k).maximum();
            violated[k] = cost > maximum;
            if (violated[k] && (binding < 0 || maximum < limits.get(binding).maximum())) {
                binding = k;
            }
        }
        return new Decision(Decision.Outcome.COST_EXCEEDS_MAXIMUM, cost, Instant.ofEpochMilli(reply.decidedAtMillis()),
                statuses(limits, plan, reply, violated), binding, null);
    }

    private static List<LimitStatus> statuses(List<Limit> limits, WindowPlan plan, ScriptReply reply,
            boolean[] violated) {
        List<LimitStatus> statuses = new ArrayList<>(limits.size());
        for (int k = 0; k < limits.size(); k++) {
            Limit limit = limits.get(k);
            int w = plan.windowOf(k);
            long used = reply.used()[w];
            statuses.add(new LimitStatus(limit, used, Math.max(0, limit.maximum() - used),
                    Instant.ofEpochMilli(reply.resetAtMillis()[w]), violated[k]));
        }
        return statuses;
    }

    /**
     * Configures a {@link RedisSlidingWindowLimiter}. Set where Redis is with {@link #uri(String)}
     * (optionally with a shared {@link #client(RedisClient)}), or pass an open
     * {@link #connection(StatefulRedisConnection, String)}. Not thread-safe.
     */
    public static final class Builder {

        private RedisURI uri;
        private RedisClient client;
        private StatefulRedisConnection<String, String> connection;
        private String connectionAddress;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private int precision = DEFAULT_PRECISION;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private InstantSource clock;

        private Builder() {
        }

        /**
         * Sets the Redis to connect to, as a Redis URI such as {@code redis://127.0.0.1:6379/0}.
         *
         * @throws IllegalArgumentException if {@code uri} is not a valid Redis URI
         */
        public Builder uri(String uri) {
            Objects.requireNonNull(uri, "uri");
            try {
                return uri(RedisURI.create(uri));
            } catch (IllegalArgumentException e) {
                // The user-info part may carry a password, which must not reach logs.
                String redacted = uri.replaceAll("//[^/@]*@", "//***@");
                throw new IllegalArgumentException("invalid Redis URI \"" + redacted
                        + "\": expected the form redis://host:port/database");
            }
        }

        /** Sets the Redis to connect to. */
        public Builder uri(RedisURI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
            return this;
        }

        /**
         * Opens the limiter's connection with this client instead of a client of its own, to share its
         * threads. The limiter never shuts the client down. For fail-fast behaviour while Redis is
         * disconnected, configure the client with
         * {@code ClientOptions.DisconnectedBehavior.REJECT_COMMANDS}. Otherwise commands wait in
         * Lettuce's queue and calls throw only when the command timeout runs out.
         */
        public Builder client(RedisClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Runs the limiter on an open connection that the caller owns and closes. The limiter never
         * closes it. The connection must use a {@code String} codec, such as
         * {@code RedisClient.connect()} returns. The command timeout still bounds every call.
         *
         * @param address how error messages name this Redis, for example {@code redis-main:6379}
         */
        public Builder connection(StatefulRedisConnection<String, String> connection, String address) {
            this.connection = Objects.requireNonNull(connection, "connection");
            this.connectionAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * Sets the prefix of the Redis key names, {@value RedisSlidingWindowLimiter#DEFAULT_KEY_PREFIX}
         * by default. Instances that share limits must use the same prefix and precision.
         *
         * @throws IllegalArgumentException if the prefix contains a brace, which would break the hash tag
         */
        public Builder keyPrefix(String keyPrefix) {
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            if (keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0) {
                throw new IllegalArgumentException("key prefix must not contain '{' or '}', which Redis Cluster"
                        + " reads as a hash tag: \"" + keyPrefix + "\"");
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * Sets the number of slots per window, 60 by default. Every window must be a multiple of this
         * many milliseconds.
         *
         * @throws IllegalArgumentException if {@code precision} is outside 1 to
         *     {@value InMemorySlidingWindowLimiter#MAX_PRECISION}
         */
        public Builder precision(int precision) {
            if (precision < 1 || precision > InMemorySlidingWindowLimiter.MAX_PRECISION) {
                throw new IllegalArgumentException("precision must be between 1 and "
                        + InMemorySlidingWindowLimiter.MAX_PRECISION + ": " + precision);
            }
            this.precision = precision;
            return this;
        }

        /**
         * Sets how long one call may wait for Redis, 250 ms by default. Connecting, reloading the
         * script and running it share this time.
         *
         * @throws IllegalArgumentException if the timeout is not positive
         */
        public Builder commandTimeout(Duration commandTimeout) {
            Objects.requireNonNull(commandTimeout, "commandTimeout");
            if (commandTimeout.isNegative() || commandTimeout.isZero()) {
                throw new IllegalArgumentException("command timeout must be positive: " + commandTimeout);
            }
            this.commandTimeout = commandTimeout;
            return this;
        }

        /**
         * Makes the limiter read time from {@code clock} and send it with each call, instead of using
         * the Redis server's {@code TIME}. This is meant for tests, because instances that share
         * limits with a caller's clock need clocks that agree.
         */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the limiter. With a URI it starts connecting in the background and returns at once;
         * calls made while Redis is unreachable throw {@link LimiterUnavailableException}.
         *
         * @throws IllegalStateException if neither a URI nor a connection is set, or both a connection
         *     and a client are
         */
        public RedisSlidingWindowLimiter build() {
            return new RedisSlidingWindowLimiter(openConnection(), this);
        }

        private LimiterConnection openConnection() {
            if (connection != null) {
                if (client != null || uri != null) {
                    throw new IllegalStateException("set either connection(...) or uri(...) with an optional"
                            + " client(...), not both");
                }
                return LimiterConnection.borrow(connection, connectionAddress, commandTimeout);
            }
            if (uri == null) {
                throw new IllegalStateException("no Redis given: call uri(\"redis://host:port\") or connection(...)"
                        + " before build()");
            }
            return client == null
                    ? LimiterConnection.open(uri, commandTimeout)
                    : LimiterConnection.openWith(client, uri, commandTimeout);
        }
    }
}
