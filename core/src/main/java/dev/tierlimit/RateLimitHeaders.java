package dev.tierlimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP rate-limit header values for a {@link Decision}, independent of any HTTP library.
 *
 * <ul>
 *   <li>{@code X-RateLimit-Limit}, {@code -Remaining}, {@code -Used}: the binding limit's maximum,
 *       remaining and used, as GitHub sends them.
 *   <li>{@code X-RateLimit-Reset}: the binding limit's reset time in Unix epoch seconds, rounded up
 *       so a client that waits until then is not early.
 *   <li>{@code RateLimit-Policy}: every limit as {@code "name";q=maximum;w=windowSeconds}, and
 *       {@code RateLimit}: the binding limit as {@code "name";r=remaining;t=secondsUntilReset}, the
 *       structured fields of draft-ietf-httpapi-ratelimit-headers-11.
 *   <li>{@code Retry-After}: for a rejected request only, whole seconds rounded up and at least 1.
 *       A cost above a maximum gets none, since no wait helps.
 * </ul>
 * Zero values are written as {@code 0}; no value is negative. Immutable and thread-safe.
 */
public final class RateLimitHeaders {

    /** Header name of the binding limit's maximum. */
    public static final String LIMIT = "X-RateLimit-Limit";
    /** Header name of the binding limit's remaining cost. */
    public static final String REMAINING = "X-RateLimit-Remaining";
    /** Header name of the binding limit's used cost. */
    public static final String USED = "X-RateLimit-Used";
    /** Header name of the binding limit's reset time in epoch seconds. */
    public static final String RESET = "X-RateLimit-Reset";
    /** Header name of the IETF policy field listing every limit. */
    public static final String POLICY = "RateLimit-Policy";
    /** Header name of the IETF field describing the binding limit. */
    public static final String RATE_LIMIT = "RateLimit";
    /** Header name of the wait before retrying. */
    public static final String RETRY_AFTER = "Retry-After";

    private final Map<String, String> values;
    private final Long retryAfterSeconds;

    private RateLimitHeaders(Map<String, String> values, Long retryAfterSeconds) {
        this.values = Collections.unmodifiableMap(values);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Computes the header values of {@code decision}. */
    public static RateLimitHeaders of(Decision decision) {
        Objects.requireNonNull(decision, "decision");
        LimitStatus binding = decision.binding();
        long resetMillis = binding.resetAt().toEpochMilli();
        long untilReset = Math.max(0, resetMillis - decision.decidedAt().toEpochMilli());

        Map<String, String> values = new LinkedHashMap<>();
        values.put(LIMIT, Long.toString(binding.maximum()));
        values.put(REMAINING, Long.toString(binding.remaining()));
        values.put(USED, Long.toString(binding.used()));
        values.put(RESET, Long.toString(Math.max(0, ceilDiv(resetMillis, 1000))));
        values.put(POLICY, policyOf(decision.limitDefinitions()));
        values.put(RATE_LIMIT, item(binding.limit().name()) + ";r=" + binding.remaining() + ";t=" + ceilDiv(untilReset, 1000));

        Long retrySeconds = null;
        Optional<Duration> retryAfter = decision.retryAfter();
        if (retryAfter.isPresent()) {
            retrySeconds = Math.max(1, ceilDiv(retryAfter.get().toMillis(), 1000));
            values.put(RETRY_AFTER, Long.toString(retrySeconds));
        }
        return new RateLimitHeaders(values, retrySeconds);
    }

    /** Returns the {@code RateLimit-Policy} value for {@code limits}, for responses that carry no decision. */
    public static String policy(List<LimitStatus> limits) {
        List<Limit> definitions = new ArrayList<>(limits.size());
        for (LimitStatus status : limits) {
            definitions.add(status.limit());
        }
        return policyOf(definitions);
    }

    private static String policyOf(List<Limit> limits) {
        StringBuilder policy = new StringBuilder();
        for (Limit limit : limits) {
            if (policy.length() > 0) {
                policy.append(", ");
            }
            policy.append(item(limit.name())).append(";q=").append(limit.maximum())
                    .append(";w=").append(limit.windowSeconds());
        }
        return policy.toString();
    }

    /** Returns every header name and value in a stable order; {@code Retry-After} is last when present. */
    public Map<String, String> asMap() {
        return values;
    }

    /** Returns the value of {@code X-RateLimit-Limit}. */
    public String limit() {
        return values.get(LIMIT);
    }

    /** Returns the value of {@code X-RateLimit-Remaining}. */
    public String remaining() {
        return values.get(REMAINING);
    }

    /** Returns the value of {@code X-RateLimit-Used}. */
    public String used() {
        return values.get(USED);
    }

    /** Returns the value of {@code X-RateLimit-Reset}. */
    public String reset() {
        return values.get(RESET);
    }

    /** Returns the value of {@code RateLimit-Policy}. */
    public String rateLimitPolicy() {
        return values.get(POLICY);
    }

    /** Returns the value of {@code RateLimit}. */
    public String rateLimit() {
        return values.get(RATE_LIMIT);
    }

    /** Returns the value of {@code Retry-After} in seconds, present only for a rejected request. */
    public Optional<Long> retryAfterSeconds() {
        return Optional.ofNullable(retryAfterSeconds);
    }

    /** Returns the name as an RFC 8941 string item; limit names never need escaping, but any name gets it. */
    private static String item(String name) {
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static long ceilDiv(long value, long divisor) {
        return -Math.floorDiv(-value, divisor);
    }

    @Override
    public String toString() {
        return "RateLimitHeaders" + values;
    }
}
