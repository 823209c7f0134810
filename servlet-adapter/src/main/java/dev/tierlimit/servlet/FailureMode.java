package dev.tierlimit.servlet;

/**
 * What {@link RateLimitFilter} does with a request when the limiter backend fails (a
 * {@link dev.tierlimit.LimiterUnavailableException}, for example Redis is down). Either way the
 * filter logs a rate-limited warning. Store failures while authenticating are not covered here: they
 * always get 503.
 */
public enum FailureMode {
    /** Respond with 503 and a problem body. The default, since failing open lifts every limit. */
    CLOSED,
    /** Admit the request without counting it and without rate-limit headers. */
    OPEN
}
