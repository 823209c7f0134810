package dev.tierlimit.servlet;

import static dev.tierlimit.servlet.RateLimitFilterTest.assertNoRateLimitHeaders;
import static dev.tierlimit.servlet.RateLimitFilterTest.assertUnauthorized;
import static dev.tierlimit.servlet.TestApi.T0;
import static dev.tierlimit.servlet.TestApi.header;
import static dev.tierlimit.servlet.TestApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tierlimit.Billing;
import dev.tierlimit.IssuedKey;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SubscriptionServletTest {

    private static final String WEATHER = "/api/v3/weather/current";
    private static final String TIERS = "/api/v3/subscription/tiers";
    private static final String MY_TIER = "/api/v3/subscription/my-tier";
    private static final String UPGRADE = "/api/v3/subscription/upgrade";
    private static final String HISTORY = "/api/v3/subscription/usage-history";

    private TestApi api;

    @BeforeEach
    void start() throws Exception {
        api = TestApi.start();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    private HttpResponse<String> post(String path, String body, IssuedKey key) {
        return api.send("POST", path, body, "X-API-Key", key.rawKey(), "Content-Type", "application/json");
    }

    private void useUp(IssuedKey key, int requests) {
        for (int i = 0; i < requests; i++) {
            api.getWithKey(WEATHER, key);
        }
    }

    @Test
    void tiers_listedWithoutKey() {
        HttpResponse<String> response = api.get(TIERS);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Content-Type")).startsWith("application/json");
        JsonNode tiers = json(response).get("tiers");
        assertThat(tiers.size()).isEqualTo(4);
        JsonNode pro = tiers.get("pro");
        assertThat(pro.get("display_name").asText()).isEqualTo("Pro");
        assertThat(pro.get("price_monthly").decimalValue()).isEqualByComparingTo("29");
        assertThat(pro.get("requests_per_hour").asLong()).isEqualTo(100);
        assertThat(pro.get("requests_per_day").asLong()).isEqualTo(10_000);
        assertThat(pro.get("requests_per_month").asLong()).isEqualTo(100_000);
        assertThat(pro.get("max_api_keys").asInt()).isEqualTo(5);
        assertThat(pro.get("features").get(0).asText()).isEqualTo("Pro support");
        assertThat(json(response).get("default_tier").asText()).isEqualTo("free");
    }

    @Test
    void myTier_reportsUsageAndNextTier() {
        IssuedKey key = api.newKey("free");
        useUp(key, 3);

        HttpResponse<String> response = api.getWithKey(MY_TIER, key);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("account_id").asText()).isEqualTo(key.key().accountId());
        assertThat(body.get("tier").get("id").asText()).isEqualTo("free");
        JsonNode hourly = body.get("usage").get("hourly");
        assertThat(hourly.get("used").asLong()).isEqualTo(3);
        assertThat(hourly.get("limit").asLong()).isEqualTo(10);
        assertThat(hourly.get("remaining").asLong()).isEqualTo(7);
        assertThat(hourly.get("percentage").asDouble()).isEqualTo(30.0);
        assertThat(hourly.get("resets_at").asText()).isEqualTo(T0.plusSeconds(3_660).toString());
        assertThat(body.get("usage").get("daily").get("percentage").asDouble()).isEqualTo(0.3);
        assertThat(body.get("api_keys").get("active").asInt()).isEqualTo(1);
        assertThat(body.get("api_keys").get("maximum").asInt()).isEqualTo(2);
        assertThat(body.get("next_tier").get("id").asText()).isEqualTo("pro");
        assertThat(body.get("comparison").get("limits").get("hourly").get("current").asLong()).isEqualTo(10);
        assertThat(body.get("comparison").get("limits").get("hourly").get("next").asLong()).isEqualTo(100);
        assertThat(body.get("comparison").get("max_api_keys").get("next").asInt()).isEqualTo(5);
    }

    @Test
    void myTier_percentageHasOneDecimal() {
        IssuedKey key = api.newKey("max");
        useUp(key, 1);

        JsonNode daily = json(api.getWithKey(MY_TIER, key)).get("usage").get("daily");

        // 1 of 100,000 is 0.001 %, which rounds to 0.0.
        assertThat(daily.get("percentage").asDouble()).isEqualTo(0.0);
        assertThat(json(api.getWithKey(MY_TIER, api.newKey("mini"))).get("usage").get("hourly").get("percentage")
                .asDouble()).isEqualTo(0.0);
    }

    @Test
    void myTier_highestTierHasNoNext() {
        IssuedKey key = api.newKey("max");

        JsonNode body = json(api.getWithKey(MY_TIER, key));

        assertThat(body.get("next_tier").isNull()).isTrue();
        assertThat(body.get("comparison").isNull()).isTrue();
    }

    @Test
    void myTier_withoutKeyAnswers401() {
        assertUnauthorized(api.get(MY_TIER), "missing");
    }

    @Test
    void endpoints_reachableAfterQuotaUsedUp() {
        IssuedKey key = api.newKey("free");
        useUp(key, 10);
        assertThat(api.getWithKey(WEATHER, key).statusCode()).isEqualTo(429);

        HttpResponse<String> myTier = api.getWithKey(MY_TIER, key);
        HttpResponse<String> history = api.getWithKey(HISTORY, key);

        assertThat(myTier.statusCode()).isEqualTo(200);
        assertThat(history.statusCode()).isEqualTo(200);
        assertNoRateLimitHeaders(myTier);
        assertThat(json(api.getWithKey(MY_TIER, key)).get("usage").get("hourly").get("used").asLong()).isEqualTo(10);
    }

    @Test
    void upgrade_raisesLimitAndKeepsUsage() {
        IssuedKey key = api.newKey("free");
        useUp(key, 10);
        assertThat(api.getWithKey(WEATHER, key).statusCode()).isEqualTo(429);

        HttpResponse<String> upgrade = post(UPGRADE + "?tier=pro", null, key);
        HttpResponse<String> next = api.getWithKey(WEATHER, key);

        assertThat(upgrade.statusCode()).isEqualTo(200);
        JsonNode body = json(upgrade);
        assertThat(body.get("old_tier").asText()).isEqualTo("free");
        assertThat(body.get("new_tier").asText()).isEqualTo("pro");
        assertThat(body.get("change").asText()).isEqualTo("upgrade");
        assertThat(body.get("changed").asBoolean()).isTrue();
        assertThat(body.get("billing").get("approved").asBoolean()).isTrue();
        assertThat(body.get("billing").get("simulated").asBoolean()).isTrue();
        assertThat(body.get("billing").get("message").asText()).contains("simulated");
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(header(next, "X-RateLimit-Limit")).isEqualTo("100");
        assertThat(header(next, "X-RateLimit-Used")).isEqualTo("11");
    }

    @Test
    void upgrade_acceptsJsonBody() {
        IssuedKey key = api.newKey("free");

        HttpResponse<String> response = post(UPGRADE, "{\"tier\":\"max\"}", key);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("new_tier").asText()).isEqualTo("max");
    }

    @Test
    void upgrade_sameTierChangesNothing() {
        IssuedKey key = api.newKey("free");

        JsonNode body = json(post(UPGRADE + "?tier=free", null, key));

        assertThat(body.get("changed").asBoolean()).isFalse();
        assertThat(body.get("change").asText()).isEqualTo("same");
        assertThat(body.get("billing").isNull()).isTrue();
    }

    @Test
    void upgrade_unknownTierAnswers400() {
        IssuedKey key = api.newKey("free");

        HttpResponse<String> response = post(UPGRADE + "?tier=gold", null, key);

        assertBadRequest(response, "tier");
        JsonNode tiers = json(response).get("tiers");
        assertThat(tiers).hasSize(4);
        assertThat(tiers.get(0).asText()).isEqualTo("mini");
        assertThat(json(response).get("detail").asText()).contains("gold", "mini, free, pro, max");
    }

    @Test
    void upgrade_malformedInputAnswers400() {
        IssuedKey key = api.newKey("free");

        assertBadRequest(post(UPGRADE, null, key), "tier");
        assertBadRequest(post(UPGRADE, "{\"tier\":", key), "body");
        assertBadRequest(post(UPGRADE, "[\"pro\"]", key), "body");
        assertBadRequest(post(UPGRADE, "{\"tier\":5}", key), "tier");
        assertBadRequest(post(UPGRADE, "{\"teir\":\"pro\"}", key), "teir");
        assertBadRequest(post(UPGRADE, "{\"tier\":\"pro\",\"tier\":\"max\"}", key), "body");
        assertBadRequest(post(UPGRADE + "?tier=pro", "{\"tier\":\"max\"}", key), "tier");
        assertThat(json(api.getWithKey(MY_TIER, key)).get("tier").get("id").asText()).isEqualTo("free");
    }

    @Test
    void downgrade_blockedByKeysAnswers409() {
        IssuedKey key = api.newKey("pro");
        api.anotherKey(key);
        api.anotherKey(key);
        api.anotherKey(key);

        HttpResponse<String> response = post(UPGRADE + "?tier=free", null, key);

        assertThat(response.statusCode()).isEqualTo(409);
        JsonNode problem = json(response);
        assertThat(problem.get("keys_to_revoke").asInt()).isEqualTo(2);
        assertThat(problem.get("active_keys").asInt()).isEqualTo(4);
        assertThat(problem.get("allowed_keys").asInt()).isEqualTo(2);
        assertThat(problem.get("tier").asText()).isEqualTo("free");
        assertThat(problem.get("detail").asText()).contains("revoke 2 keys");
    }

    @Test
    void downgrade_withFewKeysSucceeds() {
        IssuedKey key = api.newKey("pro");

        JsonNode body = json(post(UPGRADE + "?tier=free", null, key));

        assertThat(body.get("change").asText()).isEqualTo("downgrade");
        assertThat(body.get("changed").asBoolean()).isTrue();
        assertThat(body.get("billing").isNull()).isTrue();
    }

    @Test
    void declinedPayment_answers402() throws Exception {
        Billing declining = request -> new Billing.Result(false, true, "test_declined", "card declined in the test");
        Switchable parts = new Switchable();
        try (TestApi billed = TestApi.builder().services(clock -> parts.services(clock, declining)).start()) {
            IssuedKey key = billed.newKey("free");

            HttpResponse<String> response = billed.send("POST", UPGRADE + "?tier=pro", null, "X-API-Key", key.rawKey());

            assertThat(response.statusCode()).isEqualTo(402);
            assertThat(json(response).get("billing").get("approved").asBoolean()).isFalse();
            assertThat(json(response).get("detail").asText()).contains("declined");
            assertThat(billed.services.accounts().find(key.key().accountId()).orElseThrow().tierId()).isEqualTo("free");
        }
    }

    @Test
    void usageHistory_defaultsToSevenDays() {
        IssuedKey key = api.newKey("free");
        api.clock.set(T0.plus(Duration.ofHours(5)));
        useUp(key, 4);

        HttpResponse<String> response = api.getWithKey(HISTORY, key);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("granularity").asText()).isEqualTo("day");
        assertThat(body.get("buckets")).hasSize(7);
        assertThat(body.get("buckets").get(6).get("start").asText()).isEqualTo(T0.toString());
        assertThat(body.get("buckets").get(6).get("requests").asLong()).isEqualTo(4);
        assertThat(body.get("total_requests").asLong()).isEqualTo(4);
        assertThat(body.get("to").asText()).isEqualTo(T0.plus(Duration.ofDays(1)).toString());
    }

    @Test
    void usageHistory_byHourWithInstants() {
        IssuedKey key = api.newKey("free");
        useUp(key, 2);
        api.clock.set(T0.plus(Duration.ofHours(2)));
        useUp(key, 3);

        HttpResponse<String> response = api.getWithKey(HISTORY + "?granularity=hour&from=" + T0 + "&to="
                + T0.plus(Duration.ofHours(3)), key);

        JsonNode body = json(response);
        assertThat(body.get("buckets")).hasSize(3);
        assertThat(body.get("buckets").get(0).get("requests").asLong()).isEqualTo(2);
        assertThat(body.get("buckets").get(1).get("requests").asLong()).isEqualTo(0);
        assertThat(body.get("buckets").get(2).get("requests").asLong()).isEqualTo(3);
        assertThat(body.get("total_requests").asLong()).isEqualTo(5);
        assertThat(body.get("total_cost").asLong()).isEqualTo(5);
    }

    @Test
    void usageHistory_acceptsDates() {
        IssuedKey key = api.newKey("free");
        useUp(key, 2);
        String day = T0.toString().substring(0, 10);

        JsonNode body = json(api.getWithKey(HISTORY + "?from=" + day + "&to=" + day, key));

        assertThat(body.get("buckets")).hasSize(1);
        assertThat(body.get("from").asText()).isEqualTo(T0.toString());
        assertThat(body.get("total_requests").asLong()).isEqualTo(2);
    }

    @Test
    void usageHistory_perKey() {
        IssuedKey first = api.newKey("free");
        IssuedKey second = api.anotherKey(first);
        useUp(first, 2);
        useUp(second, 1);

        JsonNode body = json(api.getWithKey(HISTORY + "?key_id=" + second.key().id(), first));

        assertThat(body.get("key_id").asText()).isEqualTo(second.key().id());
        assertThat(body.get("total_requests").asLong()).isEqualTo(1);
    }

    @Test
    void usageHistory_badInputAnswers400() {
        IssuedKey key = api.newKey("free");

        HttpResponse<String> badDate = api.getWithKey(HISTORY + "?from=yesterday", key);

        assertBadRequest(badDate, "from");
        assertThat(json(badDate).get("accepted_formats").get(0).asText()).isEqualTo("2026-12-01");
        assertBadRequest(api.getWithKey(HISTORY + "?to=2026-13-01", key), "to");
        assertBadRequest(api.getWithKey(HISTORY + "?to=%2B999999999-12-31", key), "to");
        assertBadRequest(api.getWithKey(HISTORY + "?from=1969-12-31T23:59:59Z", key), "from");
        assertBadRequest(api.getWithKey(HISTORY + "?granularity=week", key), "granularity");
        assertBadRequest(api.getWithKey(HISTORY + "?from=" + T0 + "&to=" + T0.minusSeconds(1), key), "from");
    }

    @Test
    void usageHistory_beyondRetentionAnswers400() {
        IssuedKey key = api.newKey("free");

        HttpResponse<String> tooOld = api.getWithKey(HISTORY + "?from=" + T0.minus(Duration.ofDays(91)), key);
        HttpResponse<String> tooLong = api.getWithKey(HISTORY + "?from=" + T0 + "&to=" + T0.plus(Duration.ofDays(200)), key);

        assertBadRequest(tooOld, "from");
        assertThat(json(tooOld).get("retention_days").asLong()).isEqualTo(90);
        assertThat(json(tooOld).get("accepted_formats")).isNotEmpty();
        assertBadRequest(tooLong, "to");
    }

    @Test
    void usageHistory_otherAccountsKeyAnswers404() {
        IssuedKey mine = api.newKey("free");
        IssuedKey theirs = api.newKey("free");

        HttpResponse<String> response = api.getWithKey(HISTORY + "?key_id=" + theirs.key().id(), mine);

        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void unknownRouteAndMethod_answerProblems() {
        IssuedKey key = api.newKey("free");

        HttpResponse<String> unknown = api.getWithKey("/api/v3/subscription/nothing", key);
        HttpResponse<String> wrongMethod = api.send("DELETE", TIERS, null);

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(header(unknown, "Content-Type")).startsWith("application/problem+json");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(header(wrongMethod, "Allow")).isEqualTo("GET");
    }

    @Test
    void customResolver_identifiesCaller() throws Exception {
        AccountResolver bySession = request -> {
            String session = request.getHeader("X-Test-Session");
            return session == null
                    ? AccountResolver.Resolution.unauthenticated("no_session", "Sign in first.")
                    : AccountResolver.Resolution.account(session);
        };
        EndpointOptions options = EndpointOptions.builder().accountResolver(bySession).build();
        try (TestApi sessions = TestApi.builder().noFilter().endpointOptions(options).start()) {
            IssuedKey key = sessions.newKey("pro");

            HttpResponse<String> signedIn = sessions.get(MY_TIER, "X-Test-Session", key.key().accountId());
            HttpResponse<String> signedOut = sessions.get(MY_TIER, "X-API-Key", key.rawKey());

            assertThat(signedIn.statusCode()).isEqualTo(200);
            assertThat(json(signedIn).get("tier").get("id").asText()).isEqualTo("pro");
            assertThat(signedOut.statusCode()).isEqualTo(401);
            assertThat(json(signedOut).get("reason").asText()).isEqualTo("no_session");
            assertThat(header(signedOut, "WWW-Authenticate")).startsWith("ApiKey ");
        }
    }

    @Test
    void withoutFilter_endpointsAuthenticateKeys() throws Exception {
        try (TestApi bare = TestApi.builder().noFilter().start()) {
            IssuedKey key = bare.newKey("free");
            bare.services.keys().revoke(key.key().accountId(), key.key().id());

            assertUnauthorized(bare.getWithKey(MY_TIER, key), "revoked");
            assertUnauthorized(bare.get(MY_TIER, "X-API-Key", "tlk_live_nonsense"), "malformed");
            assertThat(bare.get(TIERS).statusCode()).isEqualTo(200);
        }
    }

    static void assertBadRequest(HttpResponse<String> response, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(header(response, "Content-Type")).startsWith("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("field").asText()).as(response.body()).isEqualTo(field);
        assertThat(problem.get("title").asText()).isEqualTo("Bad Request");
        assertThat(problem.get("detail").asText()).isNotBlank();
    }
}
