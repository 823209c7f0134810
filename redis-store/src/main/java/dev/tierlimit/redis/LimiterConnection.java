package dev.tierlimit.redis;

import dev.tierlimit.LimiterUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis connection a limiter runs its script on: one multiplexed, thread-safe Lettuce connection,
 * owned or borrowed.
 *
 * <p>Every call has one deadline, the command timeout from its start, that covers waiting for the
 * connection, reloading the script and running it. Whatever goes wrong (no connection, a rejected or
 * timed-out command, a script error, an interrupt) becomes a {@link LimiterUnavailableException}
 * naming the Redis address and the step that failed.
 *
 * <p>An owned connection is opened in the background when the limiter is built. While it cannot be
 * opened, each call shares the attempt in flight or starts the next one, so a stopped Redis costs one
 * connection attempt at a time, not one per caller. Once open, Lettuce reconnects by itself and, with
 * {@link ClientOptions.DisconnectedBehavior#REJECT_COMMANDS}, rejects commands while disconnected
 * instead of queueing them.
 *
 * <p>Thread-safe.
 */
final class LimiterConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LimiterConnection.class);
    private static final String SCRIPT_RESOURCE = "sliding-window.lua";
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

    private final String script = readScript();
    private final String sha;
    private final RedisClient client;
    private final boolean ownsClient;
    private final RedisURI uri;
    private final String address;
    private final long timeoutNanos;
    private final long timeoutMillis;

    private final Object lock = new Object();
    /** The open connection or the attempt to open it, null before the first attempt. Guarded by {@link #lock}. */
    private CompletableFuture<StatefulRedisConnection<String, String>> connection;
    private final boolean ownsConnection;
    private boolean closed;

    private LimiterConnection(RedisClient client, boolean ownsClient, RedisURI uri,
            StatefulRedisConnection<String, String> shared, String address, Duration timeout) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.uri = uri;
        this.address = address;
        this.timeoutNanos = timeout.toNanos();
        this.timeoutMillis = timeout.toMillis();
        this.ownsConnection = shared == null;
        this.sha = sha1Hex(script);
        if (shared != null) {
            this.connection = CompletableFuture.completedFuture(shared);
        }
    }

    /** Creates a client of its own for {@code uri} that fails fast while disconnected, and starts connecting. */
    static LimiterConnection open(RedisURI uri, Duration timeout) {
        RedisClient client = RedisClient.create();
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
                .build());
        return startConnecting(new LimiterConnection(client, true, uri, null, describe(uri), timeout));
    }

    /** Opens a connection of its own to {@code uri} with the caller's client, which it never shuts down. */
    static LimiterConnection openWith(RedisClient client, RedisURI uri, Duration timeout) {
        return startConnecting(new LimiterConnection(client, false, uri, null, describe(uri), timeout));
    }

    /** Uses the caller's connection, which it never closes. Error messages name it by {@code address}. */
    static LimiterConnection borrow(StatefulRedisConnection<String, String> shared, String address, Duration timeout) {
        return new LimiterConnection(null, false, null, shared, address, timeout);
    }

    private static LimiterConnection startConnecting(LimiterConnection limiterConnection) {
        synchronized (limiterConnection.lock) {
            limiterConnection.connection = limiterConnection.connect();
        }
        return limiterConnection;
    }

    /** Returns the address that error messages name, such as {@code 127.0.0.1:6379}, without any password. */
    String address() {
        return address;
    }

    /** Returns the SHA-1 digest under which Redis caches the limiter script. */
    String scriptSha() {
        return sha;
    }

    /**
     * Runs the limiter script on {@code hashName} and returns its reply, reloading the script once when
     * Redis has lost it.
     *
     * @throws LimiterUnavailableException if Redis failed or did not reply within the command timeout
     * @throws IllegalStateException if the limiter is closed
     */
    List<Object> runScript(String hashName, String[] arguments) {
        long deadline = System.nanoTime() + timeoutNanos;
        StatefulRedisConnection<String, String> open = awaitConnection(deadline);
        String[] keys = {hashName};
        try {
            return await(open.async().evalsha(sha, ScriptOutputType.MULTI, keys, arguments), deadline,
                    "the limiter script on " + hashName);
        } catch (RedisNoScriptException e) {
            // The server restarted or its script cache was flushed. Nothing ran, so running again is safe.
            await(open.async().scriptLoad(script), deadline, "reloading the limiter script");
            log.info("Reloaded the limiter script into Redis at {}: the server had lost it (NOSCRIPT)", address);
            return await(open.async().evalsha(sha, ScriptOutputType.MULTI, keys, arguments), deadline,
                    "the limiter script on " + hashName);
        }
    }

    /**
     * Deletes {@code hashName}.
     *
     * @throws LimiterUnavailableException if Redis failed or did not reply within the command timeout
     * @throws IllegalStateException if the limiter is closed
     */
    void delete(String hashName) {
        long deadline = System.nanoTime() + timeoutNanos;
        StatefulRedisConnection<String, String> open = awaitConnection(deadline);
        await(open.async().del(hashName), deadline, "deleting " + hashName);
    }

    private StatefulRedisConnection<String, String> awaitConnection(long deadline) {
        CompletableFuture<StatefulRedisConnection<String, String>> attempt;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the Redis limiter for " + address + " is closed");
            }
            if (connection.isCompletedExceptionally()) {
                connection = connect();
            }
            attempt = connection;
        }
        return await(attempt, deadline, "connecting");
    }

    /** Starts opening a connection and loading the script. The caller owns {@link #lock}. */
    private CompletableFuture<StatefulRedisConnection<String, String>> connect() {
        return client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture().thenCompose(this::loadScript);
    }

    private CompletableFuture<StatefulRedisConnection<String, String>> loadScript(
            StatefulRedisConnection<String, String> opened) {
        return opened.async().scriptLoad(script).toCompletableFuture().handle((loadedSha, failure) -> {
            if (failure != null) {
                opened.closeAsync();
                throw new RedisException("loading the limiter script failed: " + failure.getMessage(), failure);
            }
            log.info("Redis limiter connected to {}", address);
            return opened;
        });
    }

    /**
     * Waits until {@code deadline} for {@code future}. A {@link RedisNoScriptException} passes through
     * for the caller to handle, and every other failure becomes a {@link LimiterUnavailableException}.
     * A Redis command that runs out of time is cancelled, so its late reply is dropped.
     */
    private <T> T await(Future<T> future, long deadline, String action) {
        try {
            return future.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (future instanceof RedisFuture) {
                future.cancel(true);
            }
            throw timedOut(action, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while waiting for " + action, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RedisNoScriptException noScript) {
                throw noScript;
            }
            if (cause instanceof RedisCommandTimeoutException) {
                throw timedOut(action, cause);
            }
            throw unavailable(action + " failed: " + cause.getMessage(), cause);
        } catch (RedisException e) {
            throw unavailable(action + " failed: " + e.getMessage(), e);
        }
    }

    private LimiterUnavailableException timedOut(String action, Throwable cause) {
        return unavailable(action + " timed out after " + timeoutMillis + " ms", cause);
    }

    private LimiterUnavailableException unavailable(String failure, Throwable cause) {
        return new LimiterUnavailableException("Redis at " + address + ": " + failure, cause);
    }

    /**
     * Closes the connection and shuts down the client when this object opened them. A borrowed
     * connection or client stays open. Later calls throw {@link IllegalStateException}.
     */
    @Override
    public void close() {
        CompletableFuture<StatefulRedisConnection<String, String>> current;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            current = connection;
        }
        if (ownsConnection && current != null) {
            // An attempt still in flight closes its connection when it completes.
            current.thenAccept(StatefulRedisConnection::close);
        }
        if (ownsClient) {
            client.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT);
        }
        log.info("Redis limiter for {} closed", address);
    }

    /** Returns {@code host:port}, a socket path, or the sentinel master the URI names, without credentials. */
    static String describe(RedisURI uri) {
        if (uri.getSocket() != null) {
            return "unix:" + uri.getSocket();
        }
        if (uri.getHost() != null) {
            return uri.getHost() + ":" + uri.getPort();
        }
        return "sentinel master " + uri.getSentinelMasterId();
    }

    private static String readScript() {
        try (InputStream in = LimiterConnection.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the limiter script " + SCRIPT_RESOURCE
                        + " is missing from the classpath next to " + LimiterConnection.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the limiter script " + SCRIPT_RESOURCE + " failed", e);
        }
    }

    private static String sha1Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-1, which every Java platform must provide", e);
        }
    }
}
