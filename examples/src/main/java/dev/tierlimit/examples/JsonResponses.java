package dev.tierlimit.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes the example API's JSON responses, and its errors as RFC 9457 problem details of type
 * {@code about:blank} whose title is the status's reason phrase, as the tierlimit endpoints write
 * theirs.
 */
final class JsonResponses {

    static final String JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";

    /** Thread-safe once configured, so shared. */
    static final ObjectMapper MAPPER = new ObjectMapper();

    private static final Map<Integer, String> REASON_PHRASES = Map.of(
            400, "Bad Request",
            404, "Not Found",
            405, "Method Not Allowed",
            500, "Internal Server Error");

    private JsonResponses() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Creates a problem body; add extension members to it before writing. */
    static ObjectNode problem(int status, String detail) {
        ObjectNode body = object();
        body.put("type", "about:blank");
        body.put("title", REASON_PHRASES.getOrDefault(status, "Error"));
        body.put("status", status);
        body.put("detail", detail);
        return body;
    }

    static void writeJson(HttpServletResponse response, int status, ObjectNode body) throws IOException {
        write(response, status, JSON, body);
    }

    static void writeProblem(HttpServletResponse response, ObjectNode problem) throws IOException {
        write(response, problem.path("status").asInt(500), PROBLEM_JSON, problem);
    }

    private static void write(HttpServletResponse response, int status, String mediaType, ObjectNode body)
            throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType(mediaType);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
