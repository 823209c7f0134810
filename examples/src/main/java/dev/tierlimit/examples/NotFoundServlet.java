package dev.tierlimit.examples;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Sends a 404 problem that lists the API's paths for every path that no other servlet serves. Thread-safe. */
final class NotFoundServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonResponses.writeProblem(response, JsonResponses.problem(404, "No endpoint at " + request.getRequestURI()
                + "; this server serves /health, /api/v3/weather/*, /api/v3/subscription/* and /api/v3/keys/*."));
    }
}
