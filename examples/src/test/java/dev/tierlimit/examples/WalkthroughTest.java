package dev.tierlimit.examples;

import static dev.tierlimit.examples.RunningExample.header;
import static dev.tierlimit.examples.RunningExample.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierlimit.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's walkthrough over real HTTP against the real server, then a restart on the same data
 * directory. Time is fixed at {@link RunningExample#T0} unless a step moves it, so every count and
 * the {@code Retry-After} value are exact.
 */
class WalkthroughTest {

    private static final String WEATHER = "/api/v3/weather/current?city=Oslo";

    @TempDir
    Path dataDirectory;

    private final MutableClock clock = new MutableClock(RunningExample.T0);

    @Test
    void walkthroughSurvivesRestart() throws Exception {
        Map<String, RunningExample.DemoKey> demoKeys;
        String freeKey;
        String accountId;
        List<JsonNode> createdKeys = new ArrayList<>();
        String revokedKey;
        long admitted;

        try (RunningExample example = RunningExample.start(dataDirectory, clock)) {
            demoKeys = example.demoKeys();
            assertThat(demoKeys).containsOnlyKeys("free", "pro", "business", "enterprise");
            freeKey = demoKeys.get("free").rawKey();
            accountId = demoKeys.get("free").accountId();

            // List the tiers, without a key.
            JsonNode tiers = json(example.get("/api/v3/subscription/tiers", null), 200).path("tiers");
            assertThat(tiers.path("free").path("requests_per_hour").asLong()).isEqualTo(60);
            assertThat(tiers.path("pro").path("requests_per_hour").asLong()).isEqualTo(600);
            assertThat(tiers.path("free").path("features").toString()).contains("Forecasts up to 7 days");

            // My tier with the Free demo key.
            JsonNode myTier = json(example.get("/api/v3/subscription/my-tier", freeKey), 200);
            assertThat(myTier.path("account_id").asText()).isEqualTo(accountId);
            assertThat(myTier.path("tier").path("id").asText()).isEqualTo("free");
            assertThat(myTier.path("usage").path("hourly").path("used").asLong()).isZero();

            // Call the weather API until the hourly limit of 60 rejects a request.
            admitted = 0;
            HttpResponse<String> response = example.get(WEATHER, freeKey);
            while (response.statusCode() == 200) {
                admitted++;
                assertThat(header(response, "X-RateLimit-Remaining")).isEqualTo(Long.toString(60 - admitted));
                response = example.get(WEATHER, freeKey);
            }
            assertThat(admitted).isEqualTo(60);
            JsonNode quota = json(response, 429);
            // Everything was admitted at T0, so the first slot is released at T0 + 3,600 s + one 60 s slot.
            assertThat(header(response, "Retry-After")).isEqualTo("3660");
            assertThat(quota.path("type").asText()).isEqualTo("https://iana.org/assignments/http-problem-types#quota-exceeded");
            assertThat(quota.path("violated-policies").toString()).isEqualTo("[\"hourly\"]");
            assertThat(quota.path("upgrade_to").asText()).isEqualTo("pro");

            // Upgrade to Pro: the limit rises at once and the 60 requests so far still count.
            JsonNode upgrade = json(example.post("/api/v3/subscription/upgrade?tier=pro", freeKey, null), 200);
            assertThat(upgrade.path("change").asText()).isEqualTo("upgrade");
            response = example.get(WEATHER, freeKey);
            json(response, 200);
            admitted++;
            assertThat(header(response, "X-RateLimit-Limit")).isEqualTo("600");
            assertThat(header(response, "X-RateLimit-Used")).isEqualTo("61");
            assertThat(header(response, "X-RateLimit-Remaining")).isEqualTo("539");

            // Create keys until the Pro maximum of 10 active keys returns 409.
            HttpResponse<String> created = example.post("/api/v3/keys", freeKey, "{\"label\":\"walkthrough\"}");
            while (created.statusCode() == 201) {
                createdKeys.add(json(created));
                created = example.post("/api/v3/keys", freeKey, "{\"label\":\"walkthrough\"}");
            }
            assertThat(createdKeys).hasSize(9);
            JsonNode full = json(created, 409);
            assertThat(full.path("maximum").asInt()).isEqualTo(10);
            assertThat(full.path("tier").asText()).isEqualTo("pro");

            // Revoke a key that works; it is rejected from then on.
            revokedKey = createdKeys.get(0).path("key").asText();
            json(example.get(WEATHER, revokedKey), 200);
            admitted++;
            JsonNode revoked = json(example.delete("/api/v3/keys/" + createdKeys.get(0).path("id").asText(), freeKey), 200);
            assertThat(revoked.path("state").asText()).isEqualTo("revoked");
            assertThat(revoked.path("changed").asBoolean()).isTrue();
            JsonNode rejected = json(example.get(WEATHER, revokedKey), 401);
            assertThat(rejected.path("reason").asText()).isEqualTo("revoked");
            assertThat(header(example.get(WEATHER, revokedKey), "WWW-Authenticate")).startsWith("ApiKey");

            // Usage history: every admitted weather request, in the hour of T0.
            JsonNode history = json(example.get("/api/v3/subscription/usage-history?granularity=hour", freeKey), 200);
            assertThat(history.path("total_requests").asLong()).isEqualTo(admitted);
            assertThat(lastBucket(history).path("start").asText()).isEqualTo(RunningExample.T0.toString());
            assertThat(lastBucket(history).path("requests").asLong()).isEqualTo(admitted);
        }

        clock.advance(Duration.ofMinutes(1));
        try (RunningExample restarted = RunningExample.start(dataDirectory, clock)) {
            assertThat(restarted.output()).as("raw keys are printed only on the first start").isEmpty();

            JsonNode myTier = json(restarted.get("/api/v3/subscription/my-tier", freeKey), 200);
            assertThat(myTier.path("tier").path("id").asText()).isEqualTo("pro");
            assertThat(myTier.path("usage").path("hourly").path("used").asLong()).isEqualTo(admitted);
            assertThat(myTier.path("api_keys").path("active").asInt()).isEqualTo(9);

            JsonNode keys = json(restarted.get("/api/v3/keys", freeKey), 200);
            assertThat(keys.path("keys")).hasSize(10);
            assertThat(keys.path("keys").get(1).path("state").asText()).isEqualTo("revoked");
            assertThat(json(restarted.get(WEATHER, revokedKey), 401).path("reason").asText()).isEqualTo("revoked");

            HttpResponse<String> weather = restarted.get(WEATHER, freeKey);
            json(weather, 200);
            assertThat(header(weather, "X-RateLimit-Used")).isEqualTo(Long.toString(admitted + 1));

            JsonNode history = json(restarted.get("/api/v3/subscription/usage-history?granularity=hour", freeKey), 200);
            assertThat(history.path("total_requests").asLong()).isEqualTo(admitted + 1);

            String businessKey = demoKeys.get("business").rawKey();
            JsonNode business = json(restarted.get("/api/v3/subscription/my-tier", businessKey), 200);
            assertThat(business.path("tier").path("id").asText()).isEqualTo("business");
        }
    }

    private static JsonNode lastBucket(JsonNode history) {
        JsonNode buckets = history.path("buckets");
        return buckets.get(buckets.size() - 1);
    }
}
