package dev.tierlimit.examples;

import static dev.tierlimit.examples.RunningExample.header;
import static dev.tierlimit.examples.RunningExample.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tierlimit.examples.CommandLineTest.Run;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server with {@code --redis}: limits counted in a real Redis on 127.0.0.1:6379 under a key prefix
 * of the test's own, which it deletes afterwards. The Redis limiter reads the Redis server's time, so
 * the test uses the system clock and relies on 61 requests taking far less than an hour.
 */
class RedisLimiterServerTest {

    private static final String WEATHER = "/api/v3/weather/current?city=Oslo";

    @TempDir
    Path dataDirectory;

    @Test
    @ExtendWith(RedisRequirement.class)
    void redisKeepsLimitsAcrossRestart() throws Exception {
        String prefix = "tierlimit-example-test:" + UUID.randomUUID() + ":";
        ServerSettings settings = ServerSettings.of(0, dataDirectory).withRedis(RedisRequirement.URI, prefix);
        RedisClient client = RedisClient.create(RedisRequirement.URI);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            try {
                RunningExample.DemoKey free;
                try (RunningExample example = RunningExample.start(settings, InstantSource.system())) {
                    assertThat(json(example.get("/health", null), 200).path("limiter").asText()).isEqualTo("redis");
                    free = example.demoKeys().get("free");
                    HttpResponse<String> response = example.get(WEATHER, free.rawKey());
                    int admitted = 0;
                    while (response.statusCode() == 200) {
                        admitted++;
                        response = example.get(WEATHER, free.rawKey());
                    }
                    assertThat(admitted).isEqualTo(60);
                    json(response, 429);
                    assertThat(Long.parseLong(header(response, "Retry-After"))).isBetween(1L, 3660L);
                }

                assertThat(redis.exists(prefix + "{account:" + free.accountId() + "}")).isEqualTo(1);
                try (RunningExample restarted = RunningExample.start(settings, InstantSource.system())) {
                    json(restarted.get(WEATHER, free.rawKey()), 429);
                    JsonNode myTier = json(restarted.get("/api/v3/subscription/my-tier", free.rawKey()), 200);
                    assertThat(myTier.path("usage").path("hourly").path("used").asLong()).isEqualTo(60);
                }
            } finally {
                deleteKeysUnder(redis, prefix);
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void unreachableRedisStopsStartup() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        Run run = Run.of("--redis", "redis://127.0.0.1:" + closedPort, "--port", "0", "--data-dir",
                dataDirectory.toString());

        assertThat(run.status).isEqualTo(ExampleServer.FAILED);
        assertThat(run.err).contains("Redis at 127.0.0.1:" + closedPort, "leave out --redis");
        assertThat(run.err.strip().lines()).hasSize(1);
        Run afterwards = Run.of("--create-account", "ada@example.com", "--data-dir", dataDirectory.toString());
        assertThat(afterwards.status).as("the failed start released the data directory: %s", afterwards.err).isZero();
    }

    private static void deleteKeysUnder(RedisCommands<String, String> redis, String prefix) {
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
            keys.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        if (!keys.isEmpty()) {
            redis.del(keys.toArray(String[]::new));
        }
    }
}
