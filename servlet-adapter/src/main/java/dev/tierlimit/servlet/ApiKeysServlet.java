package dev.tierlimit.servlet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tierlimit.Account;
import dev.tierlimit.AccountNotFoundException;
import dev.tierlimit.ApiKey;
import dev.tierlimit.IssuedKey;
import dev.tierlimit.KeyLimitReachedException;
import dev.tierlimit.KeyNotFoundException;
import dev.tierlimit.Tier;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The API key endpoints, mounted by the host at {@code /api/v3/keys/*} (routes are read from the path
 * info):
 *
 * <ul>
 *   <li>{@code POST} (body {@code {"label":"ci","expires_at":"2027-01-01T00:00:00Z"}}, both optional):
 *       201 with the raw key, the only time it is shown; 409 with the maximum and the tier when the
 *       account already has as many active keys as its tier allows.
 *   <li>{@code GET}: the caller's keys with prefix, label, state and times; never a hash or a raw key.
 *   <li>{@code GET {id}}: one key.
 *   <li>{@code POST {id}/rotate} (body or query {@code overlap_seconds}, 0 by default): 201 with the
 *       new raw key; the old key keeps working for the overlap.
 *   <li>{@code DELETE {id}}: revokes the key at once.
 * </ul>
 * A key id of another account gets 404, like an id that does not exist. Every endpoint
 * authenticates the caller through {@link EndpointOptions}; the filter's default unmetered paths keep
 * these endpoints out of the limits. Responses that carry a raw key are marked
 * {@code Cache-Control: no-store}.
 *
 * <p>Construct it with services for code-based setup, or let a {@code web.xml} create it; it then
 * reads the {@link EndpointOptions} init parameters and the services context attribute. Thread-safe.
 */
public final class ApiKeysServlet extends EndpointServlet {

    private static final long serialVersionUID = 1L;
    private static final List<String> CREATE_FIELDS = List.of("label", "expires_at");
    private static final List<String> ROTATE_FIELDS = List.of("overlap_seconds");
    private static final String OVERLAP = "overlap_seconds";
    /** The maximum label length the key registry accepts. */
    private static final int MAX_LABEL_LENGTH = 200;

    /** Creates a servlet configured by init parameters and the services context attribute, for {@code web.xml}. */
    public ApiKeysServlet() {
    }

    /** Creates a servlet over {@code services} with the default options. */
    public ApiKeysServlet(TierlimitServices services) {
        this(services, EndpointOptions.defaults());
    }

    /** Creates a servlet over {@code services} with {@code options}; init parameters are then ignored. */
    public ApiKeysServlet(TierlimitServices services, EndpointOptions options) {
        super(services, options);
    }

    @Override
    void route(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        String[] segments = path.substring(1).split("/", -1);
        String method = request.getMethod();
        if (path.equals("/")) {
            if (method.equals("GET")) {
                list(request, response);
            } else if (method.equals("POST")) {
                create(request, response);
            } else {
                throw Endpoints.methodNotAllowed(request, "GET, POST");
            }
        } else if (segments.length == 1) {
            if (method.equals("GET")) {
                show(request, response, segments[0]);
            } else if (method.equals("DELETE")) {
                revoke(request, response, segments[0]);
            } else {
                throw Endpoints.methodNotAllowed(request, "GET, DELETE");
            }
        } else if (segments.length == 2 && segments[1].equals("rotate")) {
            if (!method.equals("POST")) {
                throw Endpoints.methodNotAllowed(request, "POST");
            }
            rotate(request, response, segments[0]);
        } else {
            throw ProblemException.of(404, "No API key endpoint at " + request.getRequestURI() + "; the endpoints are"
                    + " GET and POST on the collection, GET and DELETE on {id}, and POST {id}/rotate.");
        }
    }

    private void list(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String accountId = endpoints().caller(request).accountId();
        Instant now = services().clock().instant();
        ObjectNode body = Json.object();
        ArrayNode keys = body.putArray("keys");
        int active = 0;
        for (ApiKey key : services().keys().list(accountId)) {
            keys.add(JsonViews.key(key, now));
            active += key.isActive(now) ? 1 : 0;
        }
        Tier tier = tierOf(accountId);
        body.put("active", active);
        body.put("maximum", tier.maxApiKeys());
        body.put("tier", tier.id());
        Json.write(response, 200, Json.MEDIA_TYPE, body);
    }

    private void show(HttpServletRequest request, HttpServletResponse response, String keyId) throws IOException {
        String accountId = endpoints().caller(request).accountId();
        Json.write(response, 200, Json.MEDIA_TYPE,
                JsonViews.key(ownedKey(accountId, keyId), services().clock().instant()));
    }

    private void create(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String accountId = endpoints().caller(request).accountId();
        ObjectNode input = Endpoints.readBody(request, CREATE_FIELDS);
        String label = Endpoints.optionalText(input, "label");
        if (label != null && label.length() > MAX_LABEL_LENGTH) {
            throw ProblemException.badRequest("label", "Field \"label\" must be at most " + MAX_LABEL_LENGTH
                    + " characters, not " + label.length() + ".");
        }
        String expiresText = Endpoints.optionalText(input, "expires_at");
        Instant expiresAt = expiresText == null ? null : Endpoints.parseTime("expires_at", expiresText, false);
        Instant now = services().clock().instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw ProblemException.badRequest("expires_at", "Field \"expires_at\" (" + expiresAt
                    + ") must be in the future; it is now " + now + ".");
        }

        IssuedKey issued;
        try {
            issued = services().keys().issue(accountId, label, expiresAt);
        } catch (KeyLimitReachedException e) {
            ProblemException problem = ProblemException.of(409, e.getMessage());
            problem.body().put("maximum", e.maximum()).put("tier", e.tierId());
            throw problem;
        } catch (AccountNotFoundException e) {
            throw ProblemException.of(404, "Account " + accountId + " no longer exists.");
        }
        sendIssued(request, response, issued, issuedBody(issued, now));
    }

    private void rotate(HttpServletRequest request, HttpServletResponse response, String keyId) throws IOException {
        String accountId = endpoints().caller(request).accountId();
        Duration overlap = overlap(request);
        IssuedKey issued;
        try {
            issued = services().keys().rotate(accountId, keyId, overlap);
        } catch (KeyNotFoundException e) {
            throw notFound(accountId, keyId);
        } catch (IllegalStateException e) {
            throw ProblemException.of(409, e.getMessage() + ".");
        }
        Instant now = services().clock().instant();
        ObjectNode body = issuedBody(issued, now);
        body.set("replaced_key", JsonViews.key(ownedKey(accountId, keyId), now));
        sendIssued(request, response, issued, body);
    }

    /** Returns the rotation overlap from the query or the body (not both); zero when neither sets it. */
    private static Duration overlap(HttpServletRequest request) throws IOException {
        String fromQuery = Endpoints.queryParameter(request, OVERLAP);
        Long fromBody = Endpoints.optionalLong(Endpoints.readBody(request, ROTATE_FIELDS), OVERLAP);
        if (fromQuery != null && fromBody != null) {
            throw ProblemException.badRequest(OVERLAP, "The overlap is given both in the query and in the body; send it"
                    + " once.");
        }
        long seconds;
        if (fromQuery != null) {
            try {
                seconds = Long.parseLong(fromQuery);
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest(OVERLAP, "Parameter \"" + OVERLAP + "\" must be a whole number of"
                        + " seconds, not \"" + fromQuery + "\".");
            }
        } else {
            seconds = fromBody == null ? 0 : fromBody;
        }
        if (seconds < 0 || seconds > Duration.ofDays(365).toSeconds()) {
            throw ProblemException.badRequest(OVERLAP, "Field \"" + OVERLAP + "\" must be between 0 and 31536000"
                    + " seconds (one year), not " + seconds + ".");
        }
        return Duration.ofSeconds(seconds);
    }

    private void revoke(HttpServletRequest request, HttpServletResponse response, String keyId) throws IOException {
        String accountId = endpoints().caller(request).accountId();
        boolean changed;
        try {
            changed = services().keys().revoke(accountId, keyId);
        } catch (KeyNotFoundException e) {
            throw notFound(accountId, keyId);
        }
        ObjectNode body = JsonViews.key(ownedKey(accountId, keyId), services().clock().instant());
        body.put("changed", changed);
        Json.write(response, 200, Json.MEDIA_TYPE, body);
    }

    private static ObjectNode issuedBody(IssuedKey issued, Instant now) {
        ObjectNode body = JsonViews.key(issued.key(), now);
        body.put("key", issued.rawKey());
        body.put("notice", "Store this key now: it is shown only once and cannot be recovered.");
        return body;
    }

    /** Sends 201 with the key's location; the body contains a raw key, so no cache may keep it. */
    private static void sendIssued(HttpServletRequest request, HttpServletResponse response, IssuedKey issued,
            ObjectNode body) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Location", request.getContextPath() + request.getServletPath() + "/" + issued.key().id());
        Json.write(response, 201, Json.MEDIA_TYPE, body);
    }

    private ApiKey ownedKey(String accountId, String keyId) {
        for (ApiKey key : services().keys().list(accountId)) {
            if (key.id().equals(keyId)) {
                return key;
            }
        }
        throw notFound(accountId, keyId);
    }

    private static ProblemException notFound(String accountId, String keyId) {
        return ProblemException.of(404, "API key " + keyId + " not found for account " + accountId
                + "; list the account's keys to see valid ids.");
    }

    private Tier tierOf(String accountId) {
        Optional<Account> account = services().accounts().find(accountId);
        if (account.isEmpty()) {
            throw ProblemException.of(404, "Account " + accountId + " no longer exists.");
        }
        return services().catalog().get(account.get().tierId());
    }
}
