package dev.tierlimit.servlet;

import static dev.tierlimit.servlet.RateLimitFilterTest.assertNoRateLimitHeaders;
import static dev.tierlimit.servlet.TestApi.T0;
import static dev.tierlimit.servlet.TestApi.header;
import static dev.tierlimit.servlet.TestApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierlimit.Granularity;
import dev.tierlimit.IssuedKey;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class FailureModesTest {

    private static final String WEATHER = "/api/v3/weather/current";

    private final Switchable parts = new Switchable();
    private TestApi api;

    private void start(FailureMode mode) throws Exception {
        api = TestApi.builder()
                .services(parts::services)
                .filter(filter -> filter.failureMode(mode))
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void keyStoreFailure_answers503() throws Exception {
        start(FailureMode.OPEN);
        IssuedKey key = api.newKey("free");
        parts.keysFail = true;

        HttpResponse<String> response = api.getWithKey(WEATHER, key);

        assertServiceUnavailable(response);
        assertThat(json(response).get("detail").asText()).contains("authenticated");
        assertNoRateLimitHeaders(response);
    }

    @Test
    void accountStoreFailure_answers503() throws Exception {
        start(FailureMode.OPEN);
        IssuedKey key = api.newKey("free");
        parts.accountsFail = true;

        HttpResponse<String> response = api.getWithKey(WEATHER, key);

        assertServiceUnavailable(response);
    }

    @Test
    void limiterFailure_failsClosedByDefault() throws Exception {
        api = TestApi.builder().services(parts::services).start();
        IssuedKey key = api.newKey("free");
        parts.limiterFails = true;

        HttpResponse<String> response = api.getWithKey(WEATHER, key);

        assertServiceUnavailable(response);
        assertThat(json(response).get("detail").asText()).contains("rate limiter");
        assertNoRateLimitHeaders(response);
    }

    @Test
    void limiterFailure_failOpenAdmitsWithoutHeaders() throws Exception {
        start(FailureMode.OPEN);
        IssuedKey key = api.newKey("free");
        parts.limiterFails = true;

        HttpResponse<String> response = api.getWithKey(WEATHER, key);

        assertThat(response.statusCode()).isEqualTo(200);
        assertNoRateLimitHeaders(response);
        assertThat(json(response).get("account").asText()).isEqualTo(key.key().accountId());
        assertThat(json(response).get("remaining").isNull()).isTrue();
        long recorded = api.services.usageHistory().query(key.key().accountId(), null, T0, T0.plus(Duration.ofHours(1)),
                Granularity.HOUR).totalRequests();
        assertThat(recorded).isEqualTo(1);
    }

    @Test
    void usageStoreFailure_stillAdmits() throws Exception {
        start(FailureMode.CLOSED);
        IssuedKey key = api.newKey("free");
        parts.usageFails = true;
        int mark = LogCapture.mark();

        HttpResponse<String> response = api.getWithKey(WEATHER, key);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "X-RateLimit-Remaining")).isEqualTo("9");
        assertThat(warnings(mark)).singleElement().asString().contains("usage history", key.key().accountId());
    }

    @Test
    void endpointStoreFailure_answers503() throws Exception {
        start(FailureMode.CLOSED);
        IssuedKey key = api.newKey("free");
        parts.limiterFails = true;

        HttpResponse<String> myTier = api.getWithKey("/api/v3/subscription/my-tier", key);
        parts.limiterFails = false;
        parts.keysFail = true;
        HttpResponse<String> keys = api.getWithKey("/api/v3/keys", key);

        assertServiceUnavailable(myTier);
        assertServiceUnavailable(keys);
    }

    @Test
    void failureWarnings_rateLimited() throws Exception {
        start(FailureMode.CLOSED);
        IssuedKey key = api.newKey("free");
        parts.keysFail = true;
        int mark = LogCapture.mark();

        for (int i = 0; i < 5; i++) {
            assertServiceUnavailable(api.getWithKey(WEATHER, key));
        }
        List<String> burst = warnings(mark);
        api.clock.advance(ThrottledLog.INTERVAL);
        api.getWithKey(WEATHER, key);
        List<String> afterInterval = warnings(mark);

        assertThat(burst).hasSize(1);
        assertThat(burst.get(0)).contains("store failed", "GET " + WEATHER, "disk unavailable");
        assertThat(afterInterval).hasSize(2);
        assertThat(afterInterval.get(1)).contains("4 similar warnings suppressed");
    }

    /** Returns the full text of the library's warnings logged since {@code mark}. */
    private static List<String> warnings(int mark) {
        return LogCapture.since(mark).stream()
                .filter(line -> line.level() == Level.WARN && line.logger().startsWith("dev.tierlimit"))
                .map(LogCapture.Line::fullText)
                .collect(Collectors.toList());
    }

    private static void assertServiceUnavailable(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(header(response, "Content-Type")).startsWith("application/problem+json");
        assertThat(json(response).get("status").asInt()).isEqualTo(503);
        assertThat(json(response).get("detail").asText()).contains("retry later");
    }
}
