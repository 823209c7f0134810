package dev.tierlimit.servlet;

import static dev.tierlimit.servlet.RateLimitFilterTest.assertNoRateLimitHeaders;
import static dev.tierlimit.servlet.TestApi.header;
import static dev.tierlimit.servlet.TestApi.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierlimit.IssuedKey;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The filter and servlets created by class name and configured by init parameters, as a web.xml declares them. */
class WebXmlConfigurationTest {

    private static final String WEATHER = "/api/v3/weather/current";

    /** A request cost from the {@code X-Test-Cost} header, loaded by class name. */
    public static final class HeaderCost implements RequestCost {

        @Override
        public long of(HttpServletRequest request) {
            String cost = request.getHeader("X-Test-Cost");
            return cost == null ? 1 : Long.parseLong(cost);
        }
    }

    /** Identifies callers by the account id in the {@code X-Test-Session} header, loaded by class name. */
    public static final class SessionResolver implements AccountResolver {

        @Override
        public Resolution resolve(HttpServletRequest request) {
            String session = request.getHeader("X-Test-Session");
            return session == null ? Resolution.unauthenticated("no_session", "Sign in first.") : Resolution.account(session);
        }
    }

    @Test
    void initParameters_configureFilter() throws Exception {
        Map<String, String> parameters = Map.of(
                RateLimitFilter.PARAM_EXEMPT_PATHS, "/health, *.css",
                RateLimitFilter.PARAM_QUERY_PARAMETER_KEY, "true",
                RateLimitFilter.PARAM_LIMIT_SCOPE, "api_key",
                RateLimitFilter.PARAM_FAILURE_MODE, "open",
                RateLimitFilter.PARAM_REQUEST_COST, HeaderCost.class.getName(),
                RateLimitFilter.PARAM_REALM, "weather");
        try (TestApi api = TestApi.builder().webXml(parameters).start()) {
            IssuedKey key = api.newKey("free");
            IssuedKey other = api.anotherKey(key);

            HttpResponse<String> costly = api.get(WEATHER + "?api_key=" + key.rawKey(), "X-Test-Cost", "3");
            HttpResponse<String> otherKey = api.getWithKey(WEATHER, other);
            HttpResponse<String> health = api.get("/health");
            HttpResponse<String> missing = api.get(WEATHER);
            HttpResponse<String> myTier = api.getWithKey("/api/v3/subscription/my-tier", key);

            assertThat(costly.statusCode()).isEqualTo(200);
            assertThat(header(costly, "X-RateLimit-Used")).isEqualTo("3");
            assertThat(json(costly).get("limiter_key").asText()).isEqualTo("key:" + key.key().id());
            assertThat(header(otherKey, "X-RateLimit-Used")).isEqualTo("1");
            assertThat(health.statusCode()).isEqualTo(200);
            assertNoRateLimitHeaders(health);
            assertThat(header(missing, "WWW-Authenticate")).isEqualTo("ApiKey realm=\"weather\", header=\"X-API-Key\"");
            assertThat(json(missing).get("detail").asText()).contains("api_key");
            // my-tier reports the counter the filter used for this caller: the key's, not the account's.
            assertThat(json(myTier).get("usage").get("hourly").get("used").asLong()).isEqualTo(3);
            assertThat(api.get("/api/v3/subscription/tiers").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void enabledFalse_passesEverything() throws Exception {
        try (TestApi api = TestApi.builder().webXml(Map.of(RateLimitFilter.PARAM_ENABLED, "false")).start()) {
            HttpResponse<String> response = api.get(WEATHER);

            assertThat(response.statusCode()).isEqualTo(200);
            assertNoRateLimitHeaders(response);
        }
    }

    @Test
    void defaults_matchCodeDefaults() throws Exception {
        try (TestApi api = TestApi.builder().webXml(Map.of()).start()) {
            IssuedKey key = api.newKey("free");

            HttpResponse<String> queryKey = api.get(WEATHER + "?api_key=" + key.rawKey());
            HttpResponse<String> headerKey = api.getWithKey(WEATHER, key);

            assertThat(queryKey.statusCode()).isEqualTo(401);
            assertThat(header(headerKey, "X-RateLimit-Remaining")).isEqualTo("9");
            assertThat(json(headerKey).get("limiter_key").asText()).isEqualTo("account:" + key.key().accountId());
            assertThat(header(queryKey, "WWW-Authenticate")).contains("realm=\"api\"");
        }
    }

    @Test
    void invalidInitParameters_failStart() {
        Map<String, String> badValues = Map.of(
                RateLimitFilter.PARAM_FAILURE_MODE, "sideways",
                RateLimitFilter.PARAM_ENABLED, "yes",
                RateLimitFilter.PARAM_LIMIT_SCOPE, "tenant",
                RateLimitFilter.PARAM_EXEMPT_PATHS, "health",
                RateLimitFilter.PARAM_REQUEST_COST, "dev.tierlimit.servlet.NoSuchCost",
                RateLimitFilter.PARAM_REALM, "say \"hi\"");
        badValues.forEach((name, value) -> assertThatThrownBy(() -> TestApi.builder().webXml(Map.of(name, value)).start())
                .as(name)
                .isInstanceOf(ServletException.class)
                .hasMessageContaining(name)
                .hasMessageContaining(value));
    }

    @Test
    void servletInitParameters_configureEndpoints() throws Exception {
        Map<String, String> servletParameters = Map.of(
                EndpointOptions.PARAM_ACCOUNT_RESOLVER, SessionResolver.class.getName(),
                EndpointOptions.PARAM_REALM, "portal");
        try (TestApi api = TestApi.builder().webXml(Map.of()).servletInitParameters(servletParameters).start()) {
            IssuedKey key = api.newKey("pro");

            HttpResponse<String> signedIn = api.get("/api/v3/keys", "X-Test-Session", key.key().accountId());
            HttpResponse<String> signedOut = api.get("/api/v3/subscription/my-tier");

            assertThat(signedIn.statusCode()).isEqualTo(200);
            assertThat(json(signedIn).get("tier").asText()).isEqualTo("pro");
            assertThat(signedOut.statusCode()).isEqualTo(401);
            assertThat(json(signedOut).get("reason").asText()).isEqualTo("no_session");
            assertThat(header(signedOut, "WWW-Authenticate")).contains("realm=\"portal\"");
        }
    }

    @Test
    void invalidServletParameters_failStart() {
        Map<String, String> badValues = Map.of(
                EndpointOptions.PARAM_ACCOUNT_RESOLVER, HeaderCost.class.getName(),
                EndpointOptions.PARAM_QUERY_PARAMETER_KEY, "maybe");
        badValues.forEach((name, value) -> assertThatThrownBy(
                () -> TestApi.builder().webXml(Map.of()).servletInitParameters(Map.of(name, value)).start())
                .as(name)
                .isInstanceOf(ServletException.class)
                .hasMessageContaining(name)
                .hasMessageContaining(value));
    }

    @Test
    void missingServices_failStart() {
        assertThatThrownBy(() -> TestApi.builder().webXml(Map.of()).withoutServicesAttribute().start())
                .isInstanceOf(ServletException.class)
                .hasMessageContaining(TierlimitServices.ATTRIBUTE)
                .hasMessageContaining("is not set");
    }
}
