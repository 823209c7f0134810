package dev.tierlimit.servlet;

import static dev.tierlimit.servlet.TestApi.T0;
import static dev.tierlimit.servlet.TestApi.header;
import static dev.tierlimit.servlet.TestApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tierlimit.ApiKeyFormat;
import dev.tierlimit.Granularity;
import dev.tierlimit.IssuedKey;
import dev.tierlimit.LimitScope;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RateLimitFilterTest {

    private static final String WEATHER = "/api/v3/weather/current?city=Oslo";
    private static final List<String> RATE_LIMIT_HEADERS = List.of("X-RateLimit-Limit", "X-RateLimit-Remaining",
            "X-RateLimit-Used", "X-RateLimit-Reset", "RateLimit-Policy", "RateLimit");

    private TestApi api;

    @BeforeEach
    void start() throws Exception {
        api = TestApi.builder()
                .filter(filter -> filter.exemptPaths("/health").cost(request -> {
                    String cost = request.getHeader("X-Test-Cost");
                    return cost == null ? 1 : Long.parseLong(cost);
                }))
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void admittedRequest_carriesEveryHeader() {
        IssuedKey key = api.newKey("free");

        HttpResponse<String> response = api.getWithKey(WEATHER, key);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "X-RateLimit-Limit")).isEqualTo("10");
        assertThat(header(response, "X-RateLimit-Remaining")).isEqualTo("9");
        assertThat(header(response, "X-RateLimit-Used")).isEqualTo("1");
        // The first slot's cost leaves the hourly window at the end of the slot that contains T0 + 1 h: T0 + 3,660 s.
        assertThat(header(response, "X-RateLimit-Reset")).isEqualTo(Long.toString(T0.getEpochSecond() + 3_660));
        assertThat(header(response, "RateLimit-Policy"))
                .isEqualTo("\"hourly\";q=10;w=3600, \"daily\";q=1000;w=86400, \"monthly\";q=10000;w=2592000");
        assertThat(header(response, "RateLimit")).isEqualTo("\"hourly\";r=9;t=3660");
        assertThat(header(response, "Retry-After")).isNull();
    }

    @Test
    void admittedRequest_exposesAttributes() {
        IssuedKey key = api.newKey("free");

        JsonNode seen = json(api.getWithKey(WEATHER, key));

        assertThat(seen.get("account").asText()).isEqualTo(key.key().accountId());
        assertThat(seen.get("key_id").asText()).isEqualTo(key.key().id());
        assertThat(seen.get("tier").asText()).isEqualTo("free");
        assertThat(seen.get("limiter_key").asText()).isEqualTo("account:" + key.key().accountId());
        assertThat(seen.get("remaining").asLong()).isEqualTo(9);
    }

    @Test
    void headerNameCase_countsOneLimit() {
        IssuedKey key = api.newKey("free");

        HttpResponse<String> first = api.get(WEATHER, "X-API-Key", key.rawKey());
        HttpResponse<String> second = api.get(WEATHER, "x-api-key", key.rawKey());
        HttpResponse<String> third = api.get(WEATHER, "X-Api-Key", key.rawKey());

        assertThat(header(first, "X-RateLimit-Remaining")).isEqualTo("9");
        assertThat(header(second, "X-RateLimit-Remaining")).isEqualTo("8");
        assertThat(header(third, "X-RateLimit-Remaining")).isEqualTo("7");
    }

    @Test
    void missingKey_answers401() {
        HttpResponse<String> response = api.get(WEATHER);

        assertUnauthorized(response, "missing");
        assertThat(json(response).get("detail").asText()).contains("X-API-Key");
    }

    @Test
    void malformedKey_answers401() {
        IssuedKey key = api.newKey("free");
        String typo = withLastCharacterChanged(key.rawKey());

        HttpResponse<String> response = api.get(WEATHER, "X-API-Key", typo);

        assertUnauthorized(response, "malformed");
        assertThat(response.body()).doesNotContain(typo);
    }

    @Test
    void unknownKey_answers401() {
        String neverIssued = ApiKeyFormat.generate("live", new SplittableRandom(7));

        HttpResponse<String> response = api.get(WEATHER, "X-API-Key", neverIssued);

        assertUnauthorized(response, "unknown");
        assertThat(response.body()).doesNotContain(neverIssued);
    }

    @Test
    void revokedKey_answers401() {
        IssuedKey key = api.newKey("free");
        api.services.keys().revoke(key.key().accountId(), key.key().id());

        HttpResponse<String> response = api.getWithKey(WEATHER, key);

        assertUnauthorized(response, "revoked");
        assertThat(response.body()).doesNotContain(key.rawKey());
    }

    @Test
    void expiredKey_answers401() {
        IssuedKey fresh = api.newKey("free");
        IssuedKey key = api.services.keys().issue(fresh.key().accountId(), "short", T0.plus(Duration.ofHours(1)));
        api.clock.advance(Duration.ofHours(2));

        HttpResponse<String> response = api.getWithKey(WEATHER, key);

        assertUnauthorized(response, "expired");
        assertThat(json(response).get("detail").asText()).contains(T0.plus(Duration.ofHours(1)).toString());
    }

    @Test
    void rejectedRequest_answers429Problem() {
        IssuedKey key = api.newKey("free");
        for (int i = 0; i < 10; i++) {
            assertThat(api.getWithKey(WEATHER, key).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> response = api.getWithKey(WEATHER, key);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(header(response, "Content-Type")).startsWith("application/problem+json");
        assertThat(header(response, "Retry-After")).isEqualTo("3660");
        assertThat(header(response, "X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(header(response, "RateLimit")).isEqualTo("\"hourly\";r=0;t=3660");
        JsonNode problem = json(response);
        assertThat(problem.get("type").asText()).isEqualTo("https://iana.org/assignments/http-problem-types#quota-exceeded");
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("status").asInt()).isEqualTo(429);
        assertThat(problem.get("violated-policies")).hasSize(1);
        assertThat(problem.get("violated-policies").get(0).asText()).isEqualTo("hourly");
        assertThat(problem.get("tier").asText()).isEqualTo("free");
        assertThat(problem.get("limit").asText()).isEqualTo("hourly");
        assertThat(problem.get("retry_after").asLong()).isEqualTo(3660);
        assertThat(problem.get("upgrade_to").asText()).isEqualTo("pro");
        assertThat(problem.get("detail").asText()).contains("hourly", "3660", "pro");
    }

    @Test
    void highestTier_suggestsNoUpgrade() {
        IssuedKey key = api.newKey("max");

        HttpResponse<String> response = api.get(WEATHER, "X-API-Key", key.rawKey(), "X-Test-Cost", "1000");
        HttpResponse<String> rejected = api.getWithKey(WEATHER, key);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(rejected.statusCode()).isEqualTo(429);
        assertThat(json(rejected).has("upgrade_to")).isFalse();
    }

    @Test
    void costAboveMaximum_answers429WithoutRetryAfter() {
        IssuedKey key = api.newKey("free");

        HttpResponse<String> response = api.get(WEATHER, "X-API-Key", key.rawKey(), "X-Test-Cost", "500");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(header(response, "Retry-After")).isNull();
        assertThat(header(response, "X-RateLimit-Remaining")).isEqualTo("10");
        JsonNode problem = json(response);
        assertThat(problem.has("retry_after")).isFalse();
        assertThat(problem.get("cost").asLong()).isEqualTo(500);
        assertThat(problem.get("violated-policies").get(0).asText()).isEqualTo("hourly");
        // pro allows 100 per hour, so the first tier that admits a cost of 500 is max.
        assertThat(problem.get("upgrade_to").asText()).isEqualTo("max");
        assertThat(problem.get("detail").asText()).contains("no wait");
    }

    @Test
    void costAboveMaximum_countsNothing() {
        IssuedKey key = api.newKey("free");
        api.get(WEATHER, "X-API-Key", key.rawKey(), "X-Test-Cost", "11");

        HttpResponse<String> next = api.getWithKey(WEATHER, key);

        assertThat(header(next, "X-RateLimit-Remaining")).isEqualTo("9");
    }

    @Test
    void requestCost_countsAgainstLimit() {
        IssuedKey key = api.newKey("free");

        HttpResponse<String> response = api.get(WEATHER, "X-API-Key", key.rawKey(), "X-Test-Cost", "4");

        assertThat(header(response, "X-RateLimit-Used")).isEqualTo("4");
        assertThat(header(response, "X-RateLimit-Remaining")).isEqualTo("6");
    }

    @Test
    void streamingApplication_keepsHeaders() {
        IssuedKey key = api.newKey("free");

        HttpResponse<String> response = api.getWithKey("/stream", key);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("chunk 4");
        assertThat(header(response, "X-RateLimit-Remaining")).isEqualTo("9");
        assertThat(header(response, "RateLimit")).isEqualTo("\"hourly\";r=9;t=3660");
    }

    @Test
    void failingApplication_keepsHeaders() {
        IssuedKey key = api.newKey("free");

        HttpResponse<String> response = api.getWithKey("/boom", key);

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(header(response, "X-RateLimit-Remaining")).isEqualTo("9");
        assertThat(header(response, "X-RateLimit-Limit")).isEqualTo("10");
    }

    @Test
    void exemptPath_passesUntouched() {
        HttpResponse<String> response = api.get("/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertNoRateLimitHeaders(response);
        assertThat(json(response).get("account").isNull()).isTrue();
    }

    @Test
    void admittedRequests_recordedInHistory() {
        IssuedKey key = api.newKey("free");
        for (int i = 0; i < 12; i++) {
            api.getWithKey(WEATHER, key);
        }

        long recorded = api.services.usageHistory().query(key.key().accountId(), null, T0, T0.plus(Duration.ofHours(1)),
                Granularity.HOUR).totalRequests();

        assertThat(recorded).isEqualTo(10);
    }

    @Test
    void accountScope_sharesLimitAcrossKeys() {
        IssuedKey first = api.newKey("free");
        IssuedKey second = api.anotherKey(first);

        api.getWithKey(WEATHER, first);
        HttpResponse<String> response = api.getWithKey(WEATHER, second);

        assertThat(header(response, "X-RateLimit-Remaining")).isEqualTo("8");
    }

    @Test
    void keyScope_countsEachKey() throws Exception {
        try (TestApi perKey = TestApi.builder().filter(filter -> filter.scope(LimitScope.API_KEY)).start()) {
            IssuedKey first = perKey.newKey("free");
            IssuedKey second = perKey.anotherKey(first);

            perKey.getWithKey(WEATHER, first);
            HttpResponse<String> response = perKey.getWithKey(WEATHER, second);

            assertThat(header(response, "X-RateLimit-Remaining")).isEqualTo("9");
            assertThat(json(response).get("limiter_key").asText()).isEqualTo("key:" + second.key().id());
        }
    }

    @Test
    void disabledFilter_passesUntouched() throws Exception {
        try (TestApi disabled = TestApi.builder().filter(filter -> filter.enabled(false)).start()) {
            HttpResponse<String> response = disabled.get(WEATHER);

            assertThat(response.statusCode()).isEqualTo(200);
            assertNoRateLimitHeaders(response);
            assertThat(json(response).get("account").isNull()).isTrue();
            assertThat(header(response, "WWW-Authenticate")).isNull();
        }
    }

    @Test
    void badChecksum_skipsStoreLookup() throws Exception {
        Switchable parts = new Switchable();
        try (TestApi counted = TestApi.builder().services(parts::services).start()) {
            IssuedKey key = counted.newKey("free");
            int lookupsBefore = parts.hashLookups.get();

            HttpResponse<String> response = counted.get(WEATHER, "X-API-Key", withLastCharacterChanged(key.rawKey()));

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(parts.hashLookups.get()).isEqualTo(lookupsBefore);
            counted.getWithKey(WEATHER, key);
            assertThat(parts.hashLookups.get()).isEqualTo(lookupsBefore + 1);
        }
    }

    static String withLastCharacterChanged(String raw) {
        char last = raw.charAt(raw.length() - 1);
        return raw.substring(0, raw.length() - 1) + (last == 'a' ? 'b' : 'a');
    }

    static void assertUnauthorized(HttpResponse<String> response, String reason) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(header(response, "WWW-Authenticate")).isEqualTo("ApiKey realm=\"api\", header=\"X-API-Key\"");
        assertThat(header(response, "Content-Type")).startsWith("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(401);
        assertThat(problem.get("title").asText()).isEqualTo("Unauthorized");
        assertThat(problem.get("reason").asText()).isEqualTo(reason);
        assertThat(problem.get("detail").asText()).isNotBlank();
        assertNoRateLimitHeaders(response);
    }

    static void assertNoRateLimitHeaders(HttpResponse<String> response) {
        for (String name : RATE_LIMIT_HEADERS) {
            assertThat(header(response, name)).as(name).isNull();
        }
        assertThat(header(response, "Retry-After")).isNull();
    }
}
