package dev.tierlimit.examples;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outermost filter: logs every response with a 5xx status, and turns an exception that escapes the
 * application into a logged 500 problem instead of the container's HTML error page.
 *
 * <p>An exception is logged at error level with its stack trace, or at warn level when the response
 * was already committed, since its status can no longer change. A 5xx that the tierlimit filter or
 * endpoints send on purpose (a failed store or limiter) is logged at warn level here. They log its
 * cause themselves, at most once per kind of failure every 10 seconds (their {@code ThrottledLog}). Log lines carry the
 * method and the path without the query string, which may contain a key. Thread-safe.
 */
final class ServerErrorLog implements Filter {

    private static final Logger LOG = LoggerFactory.getLogger(ServerErrorLog.class);

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest) || !(response instanceof HttpServletResponse)) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletRequest httpRequest = (HttpServletRequest) request;
        HttpServletResponse httpResponse = (HttpServletResponse) response;
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            if (httpResponse.isCommitted()) {
                // The status has gone out already; this is usually a client that closed the connection.
                LOG.warn("{} {} failed after its {} response was committed", httpRequest.getMethod(),
                        httpRequest.getRequestURI(), httpResponse.getStatus(), e);
                throw e;
            }
            LOG.error("500 for {} {}: the request failed", httpRequest.getMethod(), httpRequest.getRequestURI(), e);
            httpResponse.reset();
            JsonResponses.writeProblem(httpResponse, JsonResponses.problem(500, "The server failed to handle this"
                    + " request; its log has the cause."));
            return;
        }
        int status = httpResponse.getStatus();
        if (status >= 500) {
            LOG.warn("{} for {} {}; tierlimit logs the cause under dev.tierlimit.servlet, once per kind of failure"
                    + " every 10 s", status, httpRequest.getMethod(), httpRequest.getRequestURI());
        }
    }
}
