package dev.tierlimit.servlet;

import static dev.tierlimit.servlet.RateLimitFilterTest.assertUnauthorized;
import static dev.tierlimit.servlet.SubscriptionServletTest.assertBadRequest;
import static dev.tierlimit.servlet.TestApi.T0;
import static dev.tierlimit.servlet.TestApi.header;
import static dev.tierlimit.servlet.TestApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tierlimit.ApiKeyFormat;
import dev.tierlimit.IssuedKey;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiKeysServletTest {

    private static final String KEYS = "/api/v3/keys";
    private static final String WEATHER = "/api/v3/weather/current";

    private TestApi api;

    @BeforeEach
    void start() throws Exception {
        api = TestApi.start();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    private HttpResponse<String> send(String method, String path, String body, IssuedKey key) {
        return api.send(method, path, body, "X-API-Key", key.rawKey(), "Content-Type", "application/json");
    }

    @Test
    void create_returnsRawKeyOnce() {
        IssuedKey caller = api.newKey("free");

        HttpResponse<String> created = send("POST", KEYS, "{\"label\":\"ci\"}", caller);

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(header(created, "Cache-Control")).isEqualTo("no-store");
        JsonNode body = json(created);
        String raw = body.get("key").asText();
        String id = body.get("id").asText();
        assertThat(ApiKeyFormat.isWellFormed(raw)).isTrue();
        assertThat(body.get("label").asText()).isEqualTo("ci");
        assertThat(body.get("state").asText()).isEqualTo("active");
        assertThat(body.get("prefix").asText()).isEqualTo(ApiKeyFormat.displayPrefix(raw));
        assertThat(body.has("hash")).isFalse();
        assertThat(header(created, "Location")).isEqualTo(KEYS + "/" + id);
        assertThat(api.get(WEATHER, "X-API-Key", raw).statusCode()).isEqualTo(200);

        HttpResponse<String> shown = send("GET", KEYS + "/" + id, null, caller);
        HttpResponse<String> listed = send("GET", KEYS, null, caller);

        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.body()).doesNotContain(raw).doesNotContain(ApiKeyFormat.sha256Hex(raw));
        assertThat(listed.body()).doesNotContain(raw).doesNotContain(ApiKeyFormat.sha256Hex(raw));
    }

    @Test
    void create_withoutBodyWorks() {
        IssuedKey caller = api.newKey("free");

        HttpResponse<String> created = send("POST", KEYS, null, caller);

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created).get("label").asText()).isEmpty();
        assertThat(json(created).get("expires_at").isNull()).isTrue();
    }

    @Test
    void create_pastMaximumAnswers409() {
        IssuedKey caller = api.newKey("free");
        assertThat(send("POST", KEYS, null, caller).statusCode()).isEqualTo(201);

        HttpResponse<String> third = send("POST", KEYS, null, caller);

        assertThat(third.statusCode()).isEqualTo(409);
        JsonNode problem = json(third);
        assertThat(problem.get("maximum").asInt()).isEqualTo(2);
        assertThat(problem.get("tier").asText()).isEqualTo("free");
        assertThat(problem.get("detail").asText()).contains("2", "free");
    }

    @Test
    void create_withExpiry() {
        IssuedKey caller = api.newKey("free");
        String expiry = T0.plus(Duration.ofDays(30)).toString();

        JsonNode body = json(send("POST", KEYS, "{\"expires_at\":\"" + expiry + "\"}", caller));

        assertThat(body.get("expires_at").asText()).isEqualTo(expiry);
        api.clock.advance(Duration.ofDays(31));
        assertUnauthorized(api.get(WEATHER, "X-API-Key", body.get("key").asText()), "expired");
    }

    @Test
    void create_malformedInputAnswers400() {
        IssuedKey caller = api.newKey("free");

        assertBadRequest(send("POST", KEYS, "{\"label\":7}", caller), "label");
        assertBadRequest(send("POST", KEYS, "{\"label\":\"" + "x".repeat(201) + "\"}", caller), "label");
        assertBadRequest(send("POST", KEYS, "{\"expires_at\":\"next week\"}", caller), "expires_at");
        assertBadRequest(send("POST", KEYS, "{\"expires_at\":\"" + T0.minusSeconds(1) + "\"}", caller), "expires_at");
        assertBadRequest(send("POST", KEYS, "{\"name\":\"ci\"}", caller), "name");
        assertBadRequest(send("POST", KEYS, "label=ci", caller), "body");
        assertThat(api.services.keys().list(caller.key().accountId())).hasSize(1);
    }

    @Test
    void list_showsKeysWithoutSecrets() {
        IssuedKey caller = api.newKey("free");
        // The in-memory store orders keys of the same millisecond by id, so the second key comes a second later.
        api.clock.advance(Duration.ofSeconds(1));
        IssuedKey second = api.anotherKey(caller);
        api.services.keys().revoke(caller.key().accountId(), second.key().id());
        api.getWithKey(WEATHER, caller);

        HttpResponse<String> response = send("GET", KEYS, null, caller);

        JsonNode body = json(response);
        assertThat(body.get("keys")).hasSize(2);
        assertThat(body.get("active").asInt()).isEqualTo(1);
        assertThat(body.get("maximum").asInt()).isEqualTo(2);
        assertThat(body.get("tier").asText()).isEqualTo("free");
        JsonNode first = body.get("keys").get(0);
        assertThat(first.get("id").asText()).isEqualTo(caller.key().id());
        assertThat(first.get("prefix").asText()).isEqualTo(caller.key().prefix());
        assertThat(first.get("last_used_at").asText()).isEqualTo(T0.plusSeconds(1).toString());
        assertThat(first.get("created_at").asText()).isEqualTo(T0.toString());
        assertThat(body.get("keys").get(1).get("state").asText()).isEqualTo("revoked");
        assertThat(response.body()).doesNotContain(caller.rawKey()).doesNotContain(second.rawKey())
                .doesNotContain(caller.key().hash()).doesNotContain("hash");
    }

    @Test
    void rotate_keepsOldKeyDuringOverlap() {
        IssuedKey caller = api.newKey("free");

        HttpResponse<String> rotated = send("POST", KEYS + "/" + caller.key().id() + "/rotate", "{\"overlap_seconds\":60}",
                caller);

        assertThat(rotated.statusCode()).isEqualTo(201);
        assertThat(header(rotated, "Cache-Control")).isEqualTo("no-store");
        JsonNode body = json(rotated);
        String newKey = body.get("key").asText();
        assertThat(body.get("replaced_key").get("id").asText()).isEqualTo(caller.key().id());
        assertThat(body.get("replaced_key").get("expires_at").asText()).isEqualTo(T0.plusSeconds(60).toString());
        assertThat(api.get(WEATHER, "X-API-Key", newKey).statusCode()).isEqualTo(200);
        assertThat(api.getWithKey(WEATHER, caller).statusCode()).isEqualTo(200);
        api.clock.advance(Duration.ofSeconds(60));
        assertUnauthorized(api.getWithKey(WEATHER, caller), "expired");
        assertThat(api.get(WEATHER, "X-API-Key", newKey).statusCode()).isEqualTo(200);
    }

    @Test
    void rotate_withoutOverlapRevokesAtOnce() {
        IssuedKey caller = api.newKey("free");

        HttpResponse<String> rotated = send("POST", KEYS + "/" + caller.key().id() + "/rotate?overlap_seconds=0", null,
                caller);

        assertThat(rotated.statusCode()).isEqualTo(201);
        assertThat(json(rotated).get("replaced_key").get("state").asText()).isEqualTo("revoked");
        assertUnauthorized(api.getWithKey(WEATHER, caller), "revoked");
    }

    @Test
    void rotate_badOverlapAnswers400() {
        IssuedKey caller = api.newKey("free");
        String rotate = KEYS + "/" + caller.key().id() + "/rotate";

        assertBadRequest(send("POST", rotate + "?overlap_seconds=soon", null, caller), "overlap_seconds");
        assertBadRequest(send("POST", rotate, "{\"overlap_seconds\":-1}", caller), "overlap_seconds");
        assertBadRequest(send("POST", rotate, "{\"overlap_seconds\":1.5}", caller), "overlap_seconds");
        assertBadRequest(send("POST", rotate, "{\"overlap_seconds\":\"60\"}", caller), "overlap_seconds");
        assertThat(api.getWithKey(WEATHER, caller).statusCode()).isEqualTo(200);
    }

    @Test
    void rotate_revokedKeyAnswers409() {
        IssuedKey caller = api.newKey("free");
        IssuedKey second = api.anotherKey(caller);
        api.services.keys().revoke(caller.key().accountId(), second.key().id());

        HttpResponse<String> response = send("POST", KEYS + "/" + second.key().id() + "/rotate", null, caller);

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(json(response).get("detail").asText()).contains("revoked");
    }

    @Test
    void revoke_disablesKey() {
        IssuedKey caller = api.newKey("free");
        IssuedKey second = api.anotherKey(caller);

        HttpResponse<String> revoked = send("DELETE", KEYS + "/" + second.key().id(), null, caller);
        HttpResponse<String> again = send("DELETE", KEYS + "/" + second.key().id(), null, caller);

        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(json(revoked).get("state").asText()).isEqualTo("revoked");
        assertThat(json(revoked).get("changed").asBoolean()).isTrue();
        assertThat(json(again).get("changed").asBoolean()).isFalse();
        assertUnauthorized(api.getWithKey(WEATHER, second), "revoked");
    }

    @Test
    void otherAccountsKey_answers404() {
        IssuedKey caller = api.newKey("free");
        IssuedKey stranger = api.newKey("free");
        String theirs = KEYS + "/" + stranger.key().id();

        assertThat(send("GET", theirs, null, caller).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", theirs, null, caller).statusCode()).isEqualTo(404);
        assertThat(send("POST", theirs + "/rotate", null, caller).statusCode()).isEqualTo(404);
        assertThat(send("GET", KEYS + "/key_doesnotexist", null, caller).statusCode()).isEqualTo(404);
        assertThat(api.getWithKey(WEATHER, stranger).statusCode()).isEqualTo(200);
    }

    @Test
    void keyEndpoints_workAfterQuotaUsedUp() {
        IssuedKey caller = api.newKey("free");
        for (int i = 0; i < 10; i++) {
            api.getWithKey(WEATHER, caller);
        }
        assertThat(api.getWithKey(WEATHER, caller).statusCode()).isEqualTo(429);

        assertThat(send("GET", KEYS, null, caller).statusCode()).isEqualTo(200);
        assertThat(send("POST", KEYS, null, caller).statusCode()).isEqualTo(201);
    }

    @Test
    void keyEndpoints_requireKey() {
        assertUnauthorized(api.get(KEYS), "missing");
        assertUnauthorized(api.send("POST", KEYS, "{}"), "missing");
    }

    @Test
    void wrongMethod_answers405() {
        IssuedKey caller = api.newKey("free");

        HttpResponse<String> response = send("PUT", KEYS, "{}", caller);

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(header(response, "Allow")).isEqualTo("GET, POST");
    }
}
