package dev.tierlimit.servlet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * RFC 9457 problem details. Problems other than quota-exceeded use the type {@code about:blank},
 * whose title is by that RFC the status code's reason phrase; the {@code detail} member states what
 * failed and what to do, and extension members carry the facts.
 */
final class Problems {

    static final String MEDIA_TYPE = "application/problem+json";

    private static final Map<Integer, String> REASON_PHRASES = Map.ofEntries(
            Map.entry(400, "Bad Request"),
            Map.entry(401, "Unauthorized"),
            Map.entry(402, "Payment Required"),
            Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"),
            Map.entry(409, "Conflict"),
            Map.entry(413, "Content Too Large"),
            Map.entry(429, "Too Many Requests"),
            Map.entry(500, "Internal Server Error"),
            Map.entry(503, "Service Unavailable"));

    private static final Pattern REALM = Pattern.compile("[\\x20-\\x7e&&[^\"\\\\]]{1,100}");

    private Problems() {
    }

    /**
     * Returns {@code realm} if it can stand in a quoted challenge parameter.
     *
     * @throws IllegalArgumentException if it is empty, longer than 100 characters, or contains a quote, a
     *     backslash or a character outside printable ASCII
     */
    static String checkRealm(String realm) {
        Objects.requireNonNull(realm, "realm");
        if (!REALM.matcher(realm).matches()) {
            throw new IllegalArgumentException("realm must be 1 to 100 printable ASCII characters without quotes or"
                    + " backslashes: \"" + realm + "\"");
        }
        return realm;
    }

    /** Creates an {@code about:blank} problem body for {@code status}. */
    static ObjectNode body(int status, String detail) {
        ObjectNode body = Json.object();
        body.put("type", "about:blank");
        body.put("title", REASON_PHRASES.getOrDefault(status, "Error"));
        body.put("status", status);
        body.put("detail", detail);
        return body;
    }

    static void write(HttpServletResponse response, int status, ObjectNode body) throws IOException {
        Json.write(response, status, MEDIA_TYPE, body);
    }

    /** Returns the {@code WWW-Authenticate} challenge for the API key scheme in {@code realm}. */
    static String challenge(String realm) {
        return "ApiKey realm=\"" + realm + "\", header=\"" + ApiKeyAuthenticator.HEADER + "\"";
    }

    /** Creates the 401 body: {@code reason} is a token such as {@code revoked}. */
    static ObjectNode unauthorized(String reason, String detail) {
        ObjectNode body = body(401, detail);
        body.put("reason", reason);
        return body;
    }

    /** Writes a 401 with its challenge. */
    static void writeUnauthorized(HttpServletResponse response, String realm, String reason, String detail)
            throws IOException {
        response.setHeader("WWW-Authenticate", challenge(realm));
        write(response, 401, unauthorized(reason, detail));
    }

    /** Writes the 503 of a failed account or key store; the detail never names the store's internals. */
    static void writeStoreUnavailable(HttpServletResponse response) throws IOException {
        write(response, 503, body(503, "The account or API key store is not available, so the request could not be"
                + " authenticated; retry later."));
    }

    /** Writes the 503 of a failed limiter backend under {@link FailureMode#CLOSED}. */
    static void writeLimiterUnavailable(HttpServletResponse response) throws IOException {
        write(response, 503, body(503, "The rate limiter is not available, so the request was not admitted;"
                + " retry later."));
    }
}
