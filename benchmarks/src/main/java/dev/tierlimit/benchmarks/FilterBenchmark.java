package dev.tierlimit.benchmarks;

import dev.tierlimit.Account;
import dev.tierlimit.Tier;
import dev.tierlimit.TierCatalog;
import dev.tierlimit.servlet.RateLimitFilter;
import dev.tierlimit.servlet.TierlimitServices;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One HTTP request through Jetty 12 to a servlet that writes two bytes, with and without the
 * {@link RateLimitFilter} in front of it. The request travels through Jetty's in-JVM
 * {@link LocalConnector}, so the time includes HTTP parsing and response writing but no socket. The
 * difference between {@code filtered=true} and {@code filtered=false} is what the filter adds to a
 * request: the key's checksum and SHA-256 hash, the key and account lookups, the limiter check, the
 * usage record and seven headers.
 *
 * <p>Stores and limiter are the in-memory ones, the clock is the system clock, and the tier's maxima
 * are out of reach, so every request is admitted.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar FilterBenchmark
 * </pre>
 */
public class FilterBenchmark extends BenchmarkSettings {

    @Param({"true", "false"})
    public boolean filtered;

    private Server server;
    private LocalConnector connector;
    private String request;

    @Setup
    public void startServer() throws Exception {
        Tier unlimited = new Tier("bench", "Bench", BigDecimal.ZERO, Limits.unreachable(), 10, List.of(), 0);
        TierlimitServices services = TierlimitServices.inMemory(TierCatalog.builder().add(unlimited).build(),
                InstantSource.system());
        Account account = services.subscriptions().createAccount("bench@example.com");
        String rawKey = services.keys().issue(account.id(), "bench", null).rawKey();

        server = new Server();
        connector = new LocalConnector(server);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        if (filtered) {
            context.addFilter(new FilterHolder(RateLimitFilter.builder(services).build()), "/*",
                    EnumSet.of(DispatcherType.REQUEST));
        }
        context.addServlet(new ServletHolder(new OkServlet()), "/api/v3/*");
        server.setHandler(context);
        server.start();

        request = "GET /api/v3/ping HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + rawKey + "\r\n\r\n";
        String response = connector.getResponse(request);
        if (!response.startsWith("HTTP/1.1 200")) {
            throw new IllegalStateException("the benchmark request did not return 200: " + response);
        }
    }

    @TearDown
    public void stopServer() throws Exception {
        server.stop();
    }

    @Benchmark
    public String request() throws Exception {
        return connector.getResponse(request);
    }

    /** The application behind the filter: as little work as a servlet can do. */
    private static final class OkServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().write("ok");
        }
    }
}
