package dev.tierlimit.servlet;

import static dev.tierlimit.servlet.RateLimitFilterTest.withLastCharacterChanged;
import static dev.tierlimit.servlet.TestApi.header;
import static dev.tierlimit.servlet.TestApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierlimit.IssuedKey;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** Keys in the {@code api_key} query parameter: accepted only when enabled, and never written to a log line. */
class QueryParameterKeyTest {

    private static final String WEATHER = "/api/v3/weather/current?city=Oslo&api_key=";

    private final Switchable parts = new Switchable();
    private TestApi api;

    @BeforeEach
    void start() throws Exception {
        api = TestApi.builder()
                .services(parts::services)
                .filter(filter -> filter.acceptQueryParameterKey(true))
                .endpointOptions(EndpointOptions.builder().acceptQueryParameterKey(true).build())
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void queryKey_neverLogged() {
        IssuedKey key = api.newKey("mini");
        String typo = withLastCharacterChanged(key.rawKey());
        int mark = LogCapture.mark();

        HttpResponse<String> valid = api.get(WEATHER + key.rawKey());
        HttpResponse<String> invalid = api.get(WEATHER + typo);
        for (int i = 0; i < 5; i++) {
            api.get(WEATHER + key.rawKey());
        }
        HttpResponse<String> rejected = api.get(WEATHER + key.rawKey());
        parts.keysFail = true;
        HttpResponse<String> storeDown = api.get(WEATHER + key.rawKey());
        HttpResponse<String> endpoint = api.get("/api/v3/subscription/my-tier?api_key=" + key.rawKey());
        HttpResponse<String> endpointTypo = api.get("/api/v3/subscription/my-tier?api_key=" + typo);
        List<LogCapture.Line> lines = LogCapture.since(mark);

        assertThat(valid.statusCode()).isEqualTo(200);
        assertThat(invalid.statusCode()).isEqualTo(401);
        assertThat(rejected.statusCode()).isEqualTo(429);
        assertThat(storeDown.statusCode()).isEqualTo(503);
        assertThat(endpoint.statusCode()).isEqualTo(503);
        assertThat(endpointTypo.statusCode()).isEqualTo(401);
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.level()).isEqualTo(Level.DEBUG);
            assertThat(line.message()).contains("401", "malformed");
        });
        assertThat(lines).anySatisfy(line -> assertThat(line.message()).contains("429", key.key().prefix()));
        assertThat(lines).anySatisfy(line -> assertThat(line.level()).isEqualTo(Level.WARN));
        for (LogCapture.Line line : lines) {
            assertThat(line.fullText()).doesNotContain(key.rawKey()).doesNotContain(typo);
        }
    }

    @Test
    void headerKey_winsOverQueryKey() {
        IssuedKey inHeader = api.newKey("free");
        IssuedKey inQuery = api.newKey("free");

        HttpResponse<String> response = api.get(WEATHER + inQuery.rawKey(), "X-API-Key", inHeader.rawKey());

        assertThat(json(response).get("account").asText()).isEqualTo(inHeader.key().accountId());
        assertThat(api.get(WEATHER + inQuery.rawKey()).headers().firstValue("X-RateLimit-Remaining")).hasValue("9");
    }

    @Test
    void queryKey_ignoredByDefault() throws Exception {
        try (TestApi headerOnly = TestApi.start()) {
            IssuedKey key = headerOnly.newKey("free");

            HttpResponse<String> response = headerOnly.get(WEATHER + key.rawKey());

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(json(response).get("reason").asText()).isEqualTo("missing");
            assertThat(json(response).get("detail").asText()).doesNotContain("api_key");
            assertThat(header(response, "WWW-Authenticate")).isNotNull();
        }
    }

    @Test
    void queryKey_acceptedByEndpoints() {
        IssuedKey key = api.newKey("free");

        HttpResponse<String> response = api.get("/api/v3/subscription/my-tier?api_key=" + key.rawKey());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("account_id").asText()).isEqualTo(key.key().accountId());
    }
}
