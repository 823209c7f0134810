package dev.tierlimit.servlet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The JSON mapper of the adapter and helpers to write JSON responses. */
final class Json {

    static final String MEDIA_TYPE = "application/json";

    /** Configured once and shared: ObjectMapper is thread-safe once configured. */
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Puts {@code instant} as an ISO-8601 string, or JSON null when absent. */
    static void putInstant(ObjectNode node, String field, Instant instant) {
        if (instant == null) {
            node.putNull(field);
        } else {
            node.put(field, instant.toString());
        }
    }

    /** Writes {@code body} with {@code status} and {@code mediaType}, with a known length so nothing is chunked. */
    static void write(HttpServletResponse response, int status, String mediaType, JsonNode body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType(mediaType);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
