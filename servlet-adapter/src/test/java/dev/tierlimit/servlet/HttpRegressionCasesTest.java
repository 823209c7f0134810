package dev.tierlimit.servlet;

import static dev.tierlimit.servlet.TestApi.T0;
import static dev.tierlimit.servlet.TestApi.header;
import static dev.tierlimit.servlet.TestApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierlimit.IssuedKey;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The limiter's regression cases as a client sees them over HTTP. Times are offsets from {@link TestApi#T0};
 * the hourly slot is 60 s, so a request admitted at {@code a} stops counting at the end of the slot
 * that contains {@code a + 3600 s}.
 */
class HttpRegressionCasesTest {

    private static final String PATH = "/api/v3/weather/current";
    private static final Pattern NUMBERS = Pattern.compile("-?\\d+");

    private TestApi api;

    @BeforeEach
    void start() throws Exception {
        api = TestApi.start();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    private HttpResponse<String> requestAt(IssuedKey key, Duration offset) {
        api.clock.set(T0.plus(offset));
        return api.getWithKey(PATH, key);
    }

    @Test
    void remaining_countsDownToZero() {
        IssuedKey key = api.newKey("free");

        for (int second = 0; second < 10; second++) {
            HttpResponse<String> response = requestAt(key, Duration.ofSeconds(second));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(header(response, "X-RateLimit-Remaining")).isEqualTo(Integer.toString(9 - second));
        }
        HttpResponse<String> eleventh = requestAt(key, Duration.ofSeconds(10));

        assertThat(eleventh.statusCode()).isEqualTo(429);
        assertThat(header(eleventh, "X-RateLimit-Remaining")).isEqualTo("0");
        // Slot 0 leaves the window at 3,660 s, 3,650 s after the rejected request.
        assertThat(header(eleventh, "Retry-After")).isEqualTo("3650");
    }

    @Test
    void retryAfter_isTruthful() {
        IssuedKey key = api.newKey("free");
        for (int second = 0; second < 10; second++) {
            requestAt(key, Duration.ofSeconds(second));
        }
        HttpResponse<String> rejected = requestAt(key, Duration.ofSeconds(10));
        long retryAfter = Long.parseLong(header(rejected, "Retry-After"));

        HttpResponse<String> earlier = requestAt(key, Duration.ofSeconds(10 + retryAfter).minusMillis(1));
        HttpResponse<String> onTime = requestAt(key, Duration.ofSeconds(10 + retryAfter));

        assertThat(earlier.statusCode()).isEqualTo(429);
        assertThat(header(earlier, "Retry-After")).isEqualTo("1");
        assertThat(onTime.statusCode()).isEqualTo(200);
    }

    @Test
    void retryAfter_neverZero() {
        IssuedKey key = api.newKey("mini");
        for (int i = 0; i < 5; i++) {
            assertThat(requestAt(key, Duration.ZERO).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> almost = requestAt(key, Duration.ofMillis(3_659_400));
        HttpResponse<String> due = requestAt(key, Duration.ofMillis(3_660_000));

        assertThat(almost.statusCode()).isEqualTo(429);
        assertThat(header(almost, "Retry-After")).isEqualTo("1");
        assertThat(json(almost).get("retry_after").asLong()).isEqualTo(1);
        assertThat(due.statusCode()).isEqualTo(200);
    }

    @Test
    void freshKey_resetInFutureNoRetryAfter() {
        IssuedKey key = api.newKey("mini");

        HttpResponse<String> first = requestAt(key, Duration.ofSeconds(30));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(Long.parseLong(header(first, "X-RateLimit-Reset"))).isGreaterThan(T0.getEpochSecond() + 30);
        assertThat(header(first, "Retry-After")).isNull();
    }

    @Test
    void rejectedRequests_notCounted() {
        IssuedKey key = api.newKey("free");
        for (int i = 0; i < 10; i++) {
            requestAt(key, Duration.ZERO);
        }
        for (int second = 10; second < 15; second++) {
            assertThat(requestAt(key, Duration.ofSeconds(second)).statusCode()).isEqualTo(429);
        }

        HttpResponse<String> later = requestAt(key, Duration.ofSeconds(3_660));

        assertThat(later.statusCode()).isEqualTo(200);
        assertThat(header(later, "X-RateLimit-Remaining")).isEqualTo("9");
    }

    @Test
    void headerValues_neverNegative() {
        // After a downgrade, usage counted under the higher tier exceeds the lower maximum.
        IssuedKey key = api.newKey("pro");
        for (int i = 0; i < 50; i++) {
            requestAt(key, Duration.ZERO);
        }
        api.services.subscriptions().changeTier(key.key().accountId(), "free");

        HttpResponse<String> response = requestAt(key, Duration.ofSeconds(1));

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(header(response, "X-RateLimit-Used")).isEqualTo("50");
        assertThat(header(response, "X-RateLimit-Remaining")).isEqualTo("0");
        for (String name : List.of("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Used", "X-RateLimit-Reset",
                "RateLimit-Policy", "RateLimit", "Retry-After")) {
            String value = header(response, name);
            assertThat(value).as(name).isNotNull();
            Matcher numbers = NUMBERS.matcher(value);
            while (numbers.find()) {
                assertThat(Long.parseLong(numbers.group())).as(name + ": " + value).isNotNegative();
            }
        }
    }
}
