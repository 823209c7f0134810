package dev.tierlimit.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives Redis limiter tests a real Redis on 127.0.0.1:6379, a fresh random key prefix per test, and
 * cleanup: after each test it closes the limiters it built and deletes every key under the prefix.
 *
 * <p>When Redis does not reply, the test class is skipped with a message saying how to run it, or
 * fails when the environment variable {@code TIERLIMIT_REQUIRE_REDIS} is {@code true}, as CI sets it.
 * Register it on a static field with {@code @RegisterExtension}.
 */
final class RedisExtension
        implements ExecutionCondition, BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    static final String HOST = "127.0.0.1";
    static final int PORT = 6379;
    static final String URI = "redis://" + HOST + ":" + PORT;
    static final String REQUIRE_VARIABLE = "TIERLIMIT_REQUIRE_REDIS";

    private static final Duration PING_TIMEOUT = Duration.ofSeconds(2);
    /** Generous, because the two cores of a build machine are shared. Tests never assert on it. */
    private static final Duration TEST_COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private static volatile String unavailableReason;
    private static volatile boolean checked;
    private static volatile boolean skipNoticePrinted;

    private final List<RedisSlidingWindowLimiter> limiters = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger limiterCount = new AtomicInteger();
    private RedisClient adminClient;
    private StatefulRedisConnection<String, String> adminConnection;
    private String prefix;

    /**
     * Skips the test class, with the reason and how to run it, while Redis does not reply to PING, or
     * fails it when {@code TIERLIMIT_REQUIRE_REDIS=true}.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String reason = unavailableReason();
        if (reason == null) {
            return ConditionEvaluationResult.enabled("Redis replies on " + HOST + ":" + PORT);
        }
        if ("true".equalsIgnoreCase(System.getenv(REQUIRE_VARIABLE))) {
            throw new IllegalStateException(reason + "; " + REQUIRE_VARIABLE
                    + "=true makes the Redis limiter tests mandatory. Start Redis on " + HOST + ":" + PORT + ".");
        }
        String skipped = reason + ", so the Redis limiter tests are skipped. To run them, start Redis on " + HOST
                + ":" + PORT + " (for example: redis-server --port " + PORT + " --save '' --appendonly no) and run"
                + " mvn -B -pl redis-store -am verify; set " + REQUIRE_VARIABLE + "=true to make them fail instead"
                + " of skipping.";
        if (!skipNoticePrinted) {
            skipNoticePrinted = true;
            System.err.println("WARNING: " + skipped);
        }
        return ConditionEvaluationResult.disabled(skipped);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        adminClient = RedisClient.create(URI);
        adminConnection = adminClient.connect();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (adminConnection != null) {
            adminConnection.close();
        }
        if (adminClient != null) {
            adminClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        prefix = "tierlimit-test:" + UUID.randomUUID() + ":";
    }

    @Override
    public void afterEach(ExtensionContext context) {
        synchronized (limiters) {
            for (RedisSlidingWindowLimiter limiter : limiters) {
                limiter.close();
            }
            limiters.clear();
        }
        deleteKeysUnder(prefix);
    }

    /** Returns this test's key prefix, unique to it. */
    String prefix() {
        return prefix;
    }

    /** Returns a builder for 127.0.0.1:6379 with this test's prefix and a generous timeout. */
    RedisSlidingWindowLimiter.Builder builder() {
        return RedisSlidingWindowLimiter.builder().uri(URI).keyPrefix(prefix).commandTimeout(TEST_COMMAND_TIMEOUT);
    }

    /**
     * Returns a builder that borrows the extension's own connection, for tests that build many
     * limiters, with a prefix under this test's prefix that no other limiter of the test uses.
     */
    RedisSlidingWindowLimiter.Builder borrowingBuilder() {
        return RedisSlidingWindowLimiter.builder()
                .connection(adminConnection, HOST + ":" + PORT)
                .keyPrefix(prefix + limiterCount.incrementAndGet() + ":")
                .commandTimeout(TEST_COMMAND_TIMEOUT);
    }

    /** Builds {@code builder} and closes the limiter after the test. */
    RedisSlidingWindowLimiter track(RedisSlidingWindowLimiter.Builder builder) {
        RedisSlidingWindowLimiter limiter = builder.build();
        limiters.add(limiter);
        return limiter;
    }

    /** Returns synchronous commands on a connection of the test's own, for looking at what the limiter stored. */
    RedisCommands<String, String> admin() {
        return adminConnection.sync();
    }

    /** Returns the names of the Redis keys under this test's prefix. */
    List<String> keysUnderPrefix() {
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = admin().scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
            keys.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        return keys;
    }

    private void deleteKeysUnder(String keyPrefix) {
        if (adminConnection == null || keyPrefix == null) {
            return;
        }
        List<String> keys = keysUnderPrefix();
        if (!keys.isEmpty()) {
            admin().del(keys.toArray(String[]::new));
        }
    }

    /** Returns why Redis cannot be used, or null when it replies to PING. Checked once per JVM. */
    private static synchronized String unavailableReason() {
        if (!checked) {
            unavailableReason = ping();
            checked = true;
        }
        return unavailableReason;
    }

    private static String ping() {
        try (Socket socket = new Socket()) {
            int timeoutMillis = (int) PING_TIMEOUT.toMillis();
            socket.connect(new InetSocketAddress(HOST, PORT), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[7];
            int read = in.readNBytes(reply, 0, reply.length);
            String text = new String(reply, 0, read, StandardCharsets.US_ASCII);
            return text.startsWith("+PONG") ? null
                    : "Redis on " + HOST + ":" + PORT + " replied to PING with \"" + text.strip() + "\"";
        } catch (IOException e) {
            return "Redis is not replying on " + HOST + ":" + PORT + " (" + e.getMessage() + ")";
        }
    }
}
