package dev.tierlimit.examples;

import static dev.tierlimit.examples.RunningExample.header;
import static dev.tierlimit.examples.RunningExample.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierlimit.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The weather API, the health check and unknown paths, over HTTP against the real server. */
class WeatherApiTest {

    @TempDir
    static Path dataDirectory;

    private static final MutableClock CLOCK = new MutableClock(RunningExample.T0.plusSeconds(14 * 3600 + 1800));
    private static RunningExample example;
    private static Map<String, RunningExample.DemoKey> keys;

    @BeforeAll
    static void start() throws Exception {
        example = RunningExample.start(dataDirectory, CLOCK);
        keys = example.demoKeys();
    }

    @AfterAll
    static void stop() {
        example.close();
    }

    private static String key(String tier) {
        return keys.get(tier).rawKey();
    }

    @Test
    void currentIsDeterministic() {
        JsonNode first = json(example.get("/api/v3/weather/current?city=Oslo", key("business")), 200);
        JsonNode again = json(example.get("/api/v3/weather/current?city=%20oslo%20", key("business")), 200);

        assertThat(first.path("city").asText()).isEqualTo("Oslo");
        assertThat(first.path("observed_at").asText()).isEqualTo(RunningExample.T0.plusSeconds(14 * 3600).toString());
        assertThat(again.path("temperature_c")).isEqualTo(first.path("temperature_c"));
        assertThat(again.path("conditions")).isEqualTo(first.path("conditions"));
        assertThat(first.path("generated").asBoolean()).isTrue();
    }

    @Test
    void forecastStartsTodayForRequestedDays() {
        JsonNode forecast = json(example.get("/api/v3/weather/forecast?city=Lagos&days=7", key("free")), 200);

        assertThat(forecast.path("days").asInt()).isEqualTo(7);
        assertThat(forecast.path("max_days").asInt()).isEqualTo(7);
        assertThat(forecast.path("tier").asText()).isEqualTo("free");
        assertThat(forecast.path("forecast")).hasSize(7);
        assertThat(forecast.path("forecast").get(0).path("date").asText()).isEqualTo("2026-02-16");
        assertThat(forecast.path("forecast").get(6).path("date").asText()).isEqualTo("2026-02-22");
    }

    @Test
    void forecastDaysDefaultToThree() {
        JsonNode forecast = json(example.get("/api/v3/weather/forecast?city=Lima", key("free")), 200);

        assertThat(forecast.path("forecast")).hasSize(WeatherServlet.DEFAULT_DAYS);
    }

    @Test
    void forecastCapFollowsTier() {
        json(example.get("/api/v3/weather/forecast?city=Oslo&days=14", key("pro")), 200);
        json(example.get("/api/v3/weather/forecast?city=Oslo&days=16", key("enterprise")), 200);

        JsonNode free = json(example.get("/api/v3/weather/forecast?city=Oslo&days=8", key("free")), 400);
        assertThat(free.path("field").asText()).isEqualTo("days");
        assertThat(free.path("max_days").asInt()).isEqualTo(7);
        assertThat(free.path("tier").asText()).isEqualTo("free");
        assertThat(free.path("upgrade_to").asText()).isEqualTo("pro");
        assertThat(free.path("detail").asText()).contains("up to 7 days, not 8", "upgrade to tier \"pro\"");

        JsonNode pro = json(example.get("/api/v3/weather/forecast?city=Oslo&days=15", key("pro")), 400);
        assertThat(pro.path("upgrade_to").asText()).isEqualTo("business");

        JsonNode tooLong = json(example.get("/api/v3/weather/forecast?city=Oslo&days=17", key("free")), 400);
        assertThat(tooLong.has("upgrade_to")).isFalse();
        assertThat(tooLong.path("detail").asText()).contains("no tier allows that many");
    }

    @Test
    void badParametersGet400() {
        Map<String, String> cases = Map.of(
                "/api/v3/weather/current", "city",
                "/api/v3/weather/current?city=%20%20", "city",
                "/api/v3/weather/current?city=%3Cscript%3E", "city",
                "/api/v3/weather/forecast?days=2", "city",
                "/api/v3/weather/forecast?city=Oslo&days=0", "days",
                "/api/v3/weather/forecast?city=Oslo&days=-3", "days",
                "/api/v3/weather/forecast?city=Oslo&days=two", "days",
                "/api/v3/weather/forecast?city=Oslo&days=99999999999", "days");
        cases.forEach((path, field) -> {
            HttpResponse<String> response = example.get(path, key("enterprise"));
            JsonNode problem = json(response, 400);
            assertThat(header(response, "Content-Type")).as(path).startsWith("application/problem+json");
            assertThat(problem.path("field").asText()).as(path).isEqualTo(field);
            assertThat(problem.path("detail").asText()).as(path).contains("\"" + field + "\"");
        });
    }

    @Test
    void unknownPathsAndMethodsGetProblems() {
        JsonNode unknownWeather = json(example.get("/api/v3/weather/history?city=Oslo", key("pro")), 404);
        assertThat(unknownWeather.path("detail").asText()).contains("/api/v3/weather/forecast");

        HttpResponse<String> post = example.post("/api/v3/weather/current?city=Oslo", key("pro"), "{}");
        json(post, 405);
        assertThat(header(post, "Allow")).isEqualTo("GET, HEAD");

        json(example.get("/nothing-here", key("pro")), 404);
    }

    @Test
    void weatherNeedsKey() {
        HttpResponse<String> response = example.get("/api/v3/weather/current?city=Oslo", null);

        assertThat(json(response, 401).path("reason").asText()).isEqualTo("missing");
        assertThat(header(response, "WWW-Authenticate")).startsWith("ApiKey");
    }

    @Test
    void healthNeedsNoKeyAndCountsNothing() {
        HttpResponse<String> response = example.get("/health", null);

        JsonNode health = json(response, 200);
        assertThat(health.path("status").asText()).isEqualTo("ok");
        assertThat(health.path("limiter").asText()).isEqualTo("in-memory");
        assertThat(header(response, "X-RateLimit-Limit")).isNull();
    }
}
