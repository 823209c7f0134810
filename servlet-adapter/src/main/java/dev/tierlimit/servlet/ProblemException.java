package dev.tierlimit.servlet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Ends an endpoint request with a problem response. Thrown by endpoint handlers and written by
 * {@link Endpoints}; never leaves the adapter.
 */
final class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient ObjectNode body;
    private final transient Map<String, String> headers;

    ProblemException(int status, ObjectNode body) {
        this(status, body, Map.of());
    }

    ProblemException(int status, ObjectNode body, Map<String, String> headers) {
        super(body.path("detail").asText(), null, false, false);
        this.status = status;
        this.body = body;
        this.headers = Map.copyOf(headers);
    }

    /** Creates a problem of {@code status} with {@code detail}; add extension members to {@link #body()}. */
    static ProblemException of(int status, String detail) {
        return new ProblemException(status, Problems.body(status, detail));
    }

    /** Creates a 400 naming the request {@code field} that is invalid. */
    static ProblemException badRequest(String field, String detail) {
        ProblemException problem = of(400, detail);
        problem.body.put("field", field);
        return problem;
    }

    int status() {
        return status;
    }

    ObjectNode body() {
        return body;
    }

    Map<String, String> headers() {
        return headers;
    }
}
