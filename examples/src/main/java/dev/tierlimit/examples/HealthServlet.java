package dev.tierlimit.examples;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /health}: 200 with {@code {"status":"ok","limiter":KIND}} while the server runs. The
 * filter exempts this path, so it needs no key and counts against nothing. It does not check the
 * store or Redis. Thread-safe.
 */
final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final String limiterKind;

    HealthServlet(String limiterKind) {
        this.limiterKind = limiterKind;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonResponses.writeJson(response, 200, JsonResponses.object().put("status", "ok").put("limiter", limiterKind));
    }
}
