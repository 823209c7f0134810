package dev.tierlimit.servlet;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The cost of a request in the unit of the tiers' limits, for hosts whose requests differ in price
 * (for example a bulk call that counts as 10).
 *
 * <p>Called once per authenticated, metered request, before the limiter check, on the request's
 * thread; implementations must be thread-safe. Reading the request body here would consume it, so
 * base the cost on the method, path, query or headers.
 */
@FunctionalInterface
public interface RequestCost {

    /** The default: every request costs 1. */
    RequestCost ONE = request -> 1;

    /**
     * Returns the cost of {@code request}.
     *
     * @return at least 1; the filter responds with 500 for a smaller value
     */
    long of(HttpServletRequest request);
}
