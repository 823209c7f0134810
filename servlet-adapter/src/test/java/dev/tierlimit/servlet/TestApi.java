package dev.tierlimit.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tierlimit.Account;
import dev.tierlimit.IssuedKey;
import dev.tierlimit.Limit;
import dev.tierlimit.Tier;
import dev.tierlimit.TierCatalog;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real Jetty 12 server on a free loopback port with the tierlimit filter and endpoints in front of
 * a small application, driven by a {@link MutableClock}, plus a JDK {@link HttpClient} to call it.
 *
 * <p>Application routes: {@code /api/v3/weather/*} returns 200 with the attributes the filter set (account,
 * key id, remaining), {@code /stream} writes its body in flushed chunks, {@code /boom} throws, and
 * {@code /health} returns the same echo.
 */
final class TestApi implements AutoCloseable {

    /** A start time that is a whole multiple of every slot width of the test tiers (43,200 s for 30 days). */
    static final Instant T0 = Instant.ofEpochSecond(43_200L * 41_000);

    /**
     * The test tiers: mini (5 per hour), free (10 per hour, the default), pro (100 per hour) and max
     * (1,000 per hour), each with daily and 30-day limits.
     */
    static final TierCatalog CATALOG = TierCatalog.builder()
            .add(tier("mini", "Mini", "0", 5, 1, 0))
            .add(tier("free", "Free", "0", 10, 2, 1))
            .add(tier("pro", "Pro", "29", 100, 5, 2))
            .add(tier("max", "Max", "99", 1_000, 10, 3))
            .defaultTier("free")
            .build();

    static final ObjectMapper JSON = new ObjectMapper();

    final MutableClock clock;
    final TierlimitServices services;
    private final Server server;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private TestApi(Builder builder) throws Exception {
        this.clock = builder.clock;
        this.services = builder.services.apply(clock);
        this.server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        if (builder.initParameters != null) {
            addWebXmlStyle(context, builder);
        } else {
            addInCode(context, builder);
        }
        context.addServlet(new ServletHolder(new AppServlet()), "/api/v3/weather/*");
        context.addServlet(new ServletHolder(new AppServlet()), "/health");
        context.addServlet(new ServletHolder(new StreamServlet()), "/stream");
        context.addServlet(new ServletHolder(new FailingServlet()), "/boom");
        builder.context.accept(context);
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        this.base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    private void addInCode(ServletContextHandler context, Builder builder) {
        if (builder.filter != null) {
            RateLimitFilter filter = builder.filter.apply(RateLimitFilter.builder(services)).build();
            context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        context.addServlet(new ServletHolder(new SubscriptionServlet(services, builder.endpointOptions)),
                "/api/v3/subscription/*");
        context.addServlet(new ServletHolder(new ApiKeysServlet(services, builder.endpointOptions)), "/api/v3/keys/*");
    }

    /** Sets up the filter and servlets as a web.xml would: by class name, init parameters and a context listener. */
    private void addWebXmlStyle(ServletContextHandler context, Builder builder) {
        if (builder.registerServices) {
            context.addEventListener(new ServletContextListener() {
                @Override
                public void contextInitialized(ServletContextEvent event) {
                    services.register(event.getServletContext());
                }
            });
        }
        FilterHolder filter = new FilterHolder(RateLimitFilter.class);
        filter.setInitParameters(builder.initParameters);
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder subscription = new ServletHolder(SubscriptionServlet.class);
        ServletHolder keys = new ServletHolder(ApiKeysServlet.class);
        subscription.setInitParameters(builder.servletInitParameters);
        keys.setInitParameters(builder.servletInitParameters);
        // load-on-startup, so a bad init parameter fails the start instead of the first request.
        subscription.setInitOrder(1);
        keys.setInitOrder(1);
        context.addServlet(subscription, "/api/v3/subscription/*");
        context.addServlet(keys, "/api/v3/keys/*");
    }

    static Builder builder() {
        return new Builder();
    }

    /** Starts a server with the defaults: in-memory services on the test catalog, the filter as built by default. */
    static TestApi start() throws Exception {
        return builder().start();
    }

    private static Tier tier(String id, String name, String price, long hourly, int maxKeys, int rank) {
        List<Limit> limits = List.of(Limit.hourly(hourly), Limit.daily(hourly * 100), Limit.monthly(hourly * 1_000));
        return new Tier(id, name, new BigDecimal(price), limits, maxKeys, List.of(name + " support"), rank);
    }

    /** Creates an account on {@code tierId} and issues it a key. */
    IssuedKey newKey(String tierId) {
        Account account = services.subscriptions().createAccount("owner@example.com", tierId);
        return services.keys().issue(account.id(), "test", null);
    }

    /** Issues another key to the account of {@code key}. */
    IssuedKey anotherKey(IssuedKey key) {
        return services.keys().issue(key.key().accountId(), "second", null);
    }

    HttpResponse<String> get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    HttpResponse<String> getWithKey(String path, IssuedKey key) {
        return send("GET", path, null, "X-API-Key", key.rawKey());
    }

    /** Sends a request; {@code headers} alternate names and values. */
    HttpResponse<String> send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("response body is not JSON: " + response.body(), e);
        }
    }

    /** Returns a header value, or null. */
    static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Configures a {@link TestApi}. */
    static final class Builder {

        private final MutableClock clock = new MutableClock(T0);
        private Function<MutableClock, TierlimitServices> services = c -> TierlimitServices.inMemory(CATALOG, c);
        private UnaryOperator<RateLimitFilter.Builder> filter = UnaryOperator.identity();
        private EndpointOptions endpointOptions = EndpointOptions.defaults();
        private Map<String, String> initParameters;
        private Map<String, String> servletInitParameters = Map.of();
        private boolean registerServices = true;
        private Consumer<ServletContextHandler> context = c -> { };

        Builder services(Function<MutableClock, TierlimitServices> services) {
            this.services = services;
            return this;
        }

        /** Adjusts the filter built in code. */
        Builder filter(UnaryOperator<RateLimitFilter.Builder> filter) {
            this.filter = filter;
            return this;
        }

        /** Leaves the filter out: the endpoints authenticate on their own. */
        Builder noFilter() {
            this.filter = null;
            return this;
        }

        Builder endpointOptions(EndpointOptions options) {
            this.endpointOptions = options;
            return this;
        }

        /** Configures the filter by class name and init parameters and the servlets by class name, as web.xml does. */
        Builder webXml(Map<String, String> filterInitParameters) {
            this.initParameters = filterInitParameters;
            return this;
        }

        /** Sets the init parameters of both endpoint servlets of a {@link #webXml} setup. */
        Builder servletInitParameters(Map<String, String> parameters) {
            this.servletInitParameters = parameters;
            return this;
        }

        /** Leaves the services out of the servlet context, which a web.xml setup needs. */
        Builder withoutServicesAttribute() {
            this.registerServices = false;
            return this;
        }

        /** Adds to the context before the server starts. */
        Builder context(Consumer<ServletContextHandler> context) {
            this.context = context;
            return this;
        }

        TestApi start() throws Exception {
            return new TestApi(this);
        }
    }

    /** The application behind the filter: echoes what the filter set on the request. */
    static final class AppServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            ObjectNode body = JSON.createObjectNode();
            body.put("path", request.getRequestURI());
            body.put("account", RequestAttributes.account(request).map(Account::id).orElse(null));
            body.put("key_id", RequestAttributes.keyId(request).orElse(null));
            body.put("tier", RequestAttributes.tier(request).map(Tier::id).orElse(null));
            body.put("limiter_key", RequestAttributes.limiterKey(request).orElse(null));
            RequestAttributes.decision(request).ifPresentOrElse(
                    decision -> body.put("remaining", decision.binding().remaining()),
                    () -> body.putNull("remaining"));
            response.setContentType("application/json");
            response.getWriter().write(JSON.writeValueAsString(body));
        }
    }

    /** Writes its body in flushed chunks, so the response is committed before the body ends. */
    static final class StreamServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            for (int i = 0; i < 5; i++) {
                response.getWriter().write("chunk " + i + "\n");
                response.flushBuffer();
            }
        }
    }

    /** Fails with an exception before writing anything. */
    static final class FailingServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            throw new IllegalStateException("application failure for the test");
        }
    }
}
