package dev.tierlimit.servlet;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tierlimit.Account;
import dev.tierlimit.LimiterUnavailableException;
import dev.tierlimit.StoreException;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared part of the endpoint servlets: their configuration, caller resolution, error mapping and request
 * parsing. Every malformed input ends in a {@link ProblemException} naming the field. Thread-safe.
 */
final class Endpoints {

    /** Maximum request body size read, in bytes; the endpoints take a few short fields. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    /** The date and time forms that date parameters accept, as examples for 400 bodies. */
    static final List<String> TIME_FORMATS = List.of("2026-12-01", "2026-12-01T10:00:00Z", "2026-12-01T10:00:00+01:00");

    /** The latest time a date parameter accepts; later ones would overflow millisecond arithmetic. */
    private static final Instant LATEST_TIME = Instant.parse("9999-12-31T23:59:59Z");

    private static final Logger LOG = LoggerFactory.getLogger(Endpoints.class);

    final TierlimitServices services;
    private final AccountResolver resolver;
    private final String challenge;
    private final ThrottledLog warnings;

    private Endpoints(TierlimitServices services, EndpointOptions options) {
        this.services = services;
        this.resolver = options.accountResolver().orElseGet(
                () -> new DefaultResolver(new ApiKeyAuthenticator(services, options.acceptQueryParameterKey())));
        this.challenge = Problems.challenge(options.realm());
        this.warnings = new ThrottledLog(LOG, services.clock());
    }

    /**
     * Creates the shared part of a servlet: from the given services and options when the servlet was
     * built in code, else from the servlet's init parameters and the services context attribute.
     */
    static Endpoints create(ServletConfig config, TierlimitServices services, EndpointOptions options)
            throws ServletException {
        if (services != null) {
            return new Endpoints(services, options);
        }
        String owner = "servlet " + config.getServletName();
        InitParameters parameters = new InitParameters(owner, config::getInitParameter);
        EndpointOptions.Builder builder = EndpointOptions.builder()
                .acceptQueryParameterKey(parameters.bool(EndpointOptions.PARAM_QUERY_PARAMETER_KEY, false));
        AccountResolver resolver = parameters.instance(EndpointOptions.PARAM_ACCOUNT_RESOLVER, AccountResolver.class);
        if (resolver != null) {
            builder.accountResolver(resolver);
        }
        try {
            builder.realm(parameters.text(EndpointOptions.PARAM_REALM, RateLimitFilter.DEFAULT_REALM));
            return new Endpoints(TierlimitServices.from(config.getServletContext(),
                    parameters.text(EndpointOptions.PARAM_SERVICES_ATTRIBUTE, TierlimitServices.ATTRIBUTE)), builder.build());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ServletException(owner + ": " + e.getMessage(), e);
        }
    }

    /** A request handler of an endpoint; throws {@link ProblemException} for every response that is not a success. */
    @FunctionalInterface
    interface Handler {
        void handle(HttpServletRequest request, HttpServletResponse response) throws IOException;
    }

    /** Runs {@code handler} and turns problems and store or limiter failures into problem responses. */
    void serve(HttpServletRequest request, HttpServletResponse response, Handler handler) throws IOException {
        try {
            handler.handle(request, response);
        } catch (ProblemException e) {
            e.headers().forEach(response::setHeader);
            Problems.write(response, e.status(), e.body());
        } catch (StoreException e) {
            warnings.warn("store", "A store failed; sent 503 to " + RateLimitFilter.describe(request), e);
            Problems.write(response, 503, Problems.body(503, "A store of accounts, API keys or usage is not"
                    + " available; retry later."));
        } catch (LimiterUnavailableException e) {
            warnings.warn("limiter", "Rate limiter failed; sent 503 to " + RateLimitFilter.describe(request), e);
            Problems.write(response, 503, Problems.body(503, "The rate limiter is not available, so usage cannot be"
                    + " read; retry later."));
        }
    }

    /**
     * Returns the authenticated caller of {@code request}.
     *
     * @throws ProblemException 401 with the challenge when the caller is not authenticated
     */
    AccountResolver.Resolution caller(HttpServletRequest request) {
        AccountResolver.Resolution resolution = resolver.resolve(request);
        if (resolution == null) {
            throw new IllegalStateException("account resolver " + resolver.getClass().getName() + " returned null;"
                    + " it must return a Resolution");
        }
        if (!resolution.authenticated()) {
            LOG.debug("401 for {}: {}", RateLimitFilter.describe(request), resolution.reason());
            throw new ProblemException(401, Problems.unauthorized(resolution.reason(), resolution.detail()),
                    Map.of("WWW-Authenticate", challenge));
        }
        return resolution;
    }

    /** Creates the 405 problem of a path that exists but not for the request's method. */
    static ProblemException methodNotAllowed(HttpServletRequest request, String allowed) {
        return new ProblemException(405, Problems.body(405, request.getMethod() + " is not supported on "
                + request.getRequestURI() + "; use " + allowed + "."), Map.of("Allow", allowed));
    }

    /**
     * Reads the request body as a JSON object whose members are all in {@code fields}; an empty body is
     * an empty object.
     *
     * @throws ProblemException 400 for invalid JSON, a non-object or an unknown member; 413 for a body
     *     above {@value #MAX_BODY_BYTES} bytes
     */
    static ObjectNode readBody(HttpServletRequest request, List<String> fields) throws IOException {
        byte[] bytes = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            throw ProblemException.of(413, "The request body is larger than " + MAX_BODY_BYTES + " bytes.");
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return Json.object();
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            String where = location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
            throw ProblemException.badRequest("body", "The request body is not valid JSON: " + e.getOriginalMessage() + where
                    + ".");
        }
        if (!node.isObject()) {
            throw ProblemException.badRequest("body", "The request body must be a JSON object with the fields "
                    + String.join(", ", fields) + ", not " + describeType(node) + ".");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw ProblemException.badRequest(name, "Unknown field \"" + name + "\"; the accepted fields are "
                        + String.join(", ", fields) + ".");
            }
        }
        return (ObjectNode) node;
    }

    /**
     * Returns the string member {@code field} of {@code body}, or null when it is absent or JSON null.
     *
     * @throws ProblemException 400 if the member is not a string
     */
    static String optionalText(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ProblemException.badRequest(field, "Field \"" + field + "\" must be a string, not " + describeType(node)
                    + ".");
        }
        return node.asText();
    }

    /**
     * Returns the integer member {@code field} of {@code body}, or null when it is absent or JSON null.
     *
     * @throws ProblemException 400 if the member is not an integer that fits a long
     */
    static Long optionalLong(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw ProblemException.badRequest(field, "Field \"" + field + "\" must be a whole number, not "
                    + describeType(node) + ".");
        }
        return node.asLong();
    }

    /** Returns the query parameter {@code name}, or null when it is absent or empty. */
    static String queryParameter(HttpServletRequest request, String name) {
        String value = QueryStrings.first(request.getQueryString(), name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /**
     * Parses a date ({@code 2026-12-01}, a UTC day) or an ISO-8601 instant with offset
     * ({@code 2026-12-01T10:00:00Z}). A date stands for the start of its day, or for the end of its day
     * when {@code endOfDay} is set, so {@code to=2026-12-07} includes that day.
     *
     * @throws ProblemException 400 naming {@code field} and the accepted formats
     */
    static Instant parseTime(String field, String value, boolean endOfDay) {
        Instant instant;
        try {
            instant = OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeException notAnInstant) {
            try {
                LocalDate day = LocalDate.parse(value);
                instant = (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeException notADate) {
                throw timeProblem(field, "\"" + field + "\" is not a date or an instant: \"" + value
                        + "\"; use a form like " + String.join(" or ", TIME_FORMATS) + ".");
            }
        }
        if (instant.isBefore(Instant.EPOCH) || instant.isAfter(LATEST_TIME)) {
            throw timeProblem(field, "\"" + field + "\" must be between 1970-01-01 and 9999-12-31: \"" + value
                    + "\".");
        }
        return instant;
    }

    /** Creates a 400 naming the date or time {@code field}, with the accepted formats. */
    static ProblemException timeProblem(String field, String detail) {
        ProblemException problem = ProblemException.badRequest(field, detail);
        TIME_FORMATS.forEach(problem.body().putArray("accepted_formats")::add);
        return problem;
    }

    /** Returns the JSON type of {@code node} for error messages, such as "a number". */
    static String describeType(JsonNode node) {
        switch (node.getNodeType()) {
            case ARRAY:
                return "an array";
            case OBJECT:
                return "an object";
            case BOOLEAN:
                return "a boolean";
            case NUMBER:
                return "a number";
            case STRING:
                return "a string";
            case NULL:
                return "null";
            default:
                return node.getNodeType().name().toLowerCase(Locale.ROOT);
        }
    }

    /** The default {@link AccountResolver}: the filter's account, else the request's API key. */
    private static final class DefaultResolver implements AccountResolver {

        private final ApiKeyAuthenticator authenticator;

        DefaultResolver(ApiKeyAuthenticator authenticator) {
            this.authenticator = authenticator;
        }

        @Override
        public Resolution resolve(HttpServletRequest request) {
            Optional<Account> account = RequestAttributes.account(request);
            if (account.isPresent()) {
                Optional<String> keyId = RequestAttributes.keyId(request);
                return keyId.isPresent() ? Resolution.apiKey(account.get().id(), keyId.get())
                        : Resolution.account(account.get().id());
            }
            ApiKeyAuthenticator.Result result = authenticator.authenticate(request);
            if (result.authenticated()) {
                return Resolution.apiKey(result.account().id(), result.key().id());
            }
            return Resolution.unauthenticated(result.reason(), authenticator.detail(result));
        }
    }
}
