package dev.tierlimit.examples;

import dev.tierlimit.Account;
import dev.tierlimit.TierCatalog;
import dev.tierlimit.csv.CsvStore;
import dev.tierlimit.servlet.ApiKeysServlet;
import dev.tierlimit.servlet.RateLimitFilter;
import dev.tierlimit.servlet.SubscriptionServlet;
import dev.tierlimit.servlet.TierlimitServices;
import jakarta.servlet.DispatcherType;
import java.io.PrintStream;
import java.net.URI;
import java.time.InstantSource;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running example server: the store in the data directory, the limiter, the tierlimit filter and
 * endpoints, and the weather API, on embedded Jetty.
 *
 * <p>Routes: {@code GET /health} (no key), {@code /api/v3/weather/*} behind the filter,
 * {@code /api/v3/subscription/*} and {@code /api/v3/keys/*} (authenticated, never limited), and a 404
 * problem for everything else.
 *
 * <p>{@link #close()} stops Jetty, letting requests in flight finish for up to
 * {@link #STOP_TIMEOUT_MILLIS} ms, then closes the limiter and the store, which writes what is pending
 * and saves an in-memory limiter's state. Thread-safe.
 */
final class ExampleApiServer implements AutoCloseable {

    static final long STOP_TIMEOUT_MILLIS = 5_000;

    private static final Logger LOG = LoggerFactory.getLogger(ExampleApiServer.class);

    private final Server jetty;
    private final CsvStore store;
    private final LimiterSetup limiter;
    private final TierlimitServices services;
    private final URI baseUri;
    private boolean closed;

    private ExampleApiServer(Server jetty, CsvStore store, LimiterSetup limiter, TierlimitServices services,
            URI baseUri) {
        this.jetty = jetty;
        this.store = store;
        this.limiter = limiter;
        this.services = services;
        this.baseUri = baseUri;
    }

    /**
     * Opens the store, starts serving, and then creates the demo accounts of an empty store, printing
     * their keys on {@code out}.
     *
     * @param clock the time of the store, usage history, keys and in-memory limiter; a Redis limiter
     *     reads the Redis server's time instead
     * @throws Exception if the store cannot be opened (for example because a running server holds its
     *     lock), Redis does not reply, or the port cannot be bound. Whatever was opened is closed again.
     */
    static ExampleApiServer start(ServerSettings settings, InstantSource clock, PrintStream out) throws Exception {
        TierCatalog catalog = TierCatalog.standard();
        ForecastDays.requireAll(catalog);
        CsvStore store = CsvStore.open(settings.dataDirectory(), catalog, clock);
        LimiterSetup limiter = null;
        Server jetty = null;
        try {
            limiter = settings.usesRedis()
                    ? LimiterSetup.redis(settings.redisUri(), settings.redisKeyPrefix(), catalog)
                    : LimiterSetup.inMemory(store, clock);
            TierlimitServices services = ExampleServices.create(store, limiter.limiter(), catalog, clock);

            // Binding the port first means a start that fails on a busy port creates no demo accounts, so the
            // next start still prints their keys. Until they exist, every request gets 401.
            jetty = jetty(settings, services, limiter.kind(), clock);
            jetty.start();
            int demoAccounts = DemoAccounts.createIfEmpty(services, out);
            int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
            URI baseUri = URI.create("http://" + hostForUri(settings.host()) + ":" + port);
            ExampleApiServer server = new ExampleApiServer(jetty, store, limiter, services, baseUri);
            server.logStarted(demoAccounts);
            return server;
        } catch (Exception | Error e) {
            stopQuietly(jetty);
            if (limiter != null) {
                limiter.close();
            }
            try {
                store.close();
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    private static Server jetty(ServerSettings settings, TierlimitServices services, String limiterKind,
            InstantSource clock) {
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration().setSendServerVersion(false);
        jetty.addConnector(connector);

        RateLimitFilter filter = RateLimitFilter.builder(services).exemptPaths("/health").build();
        ServletContextHandler context = new ServletContextHandler("/");
        context.addFilter(new FilterHolder(new ServerErrorLog()), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new HealthServlet(limiterKind)), "/health");
        context.addServlet(new ServletHolder(new WeatherServlet(services.catalog(), clock)), "/api/v3/weather/*");
        context.addServlet(new ServletHolder(new SubscriptionServlet(services)), "/api/v3/subscription/*");
        context.addServlet(new ServletHolder(new ApiKeysServlet(services)), "/api/v3/keys/*");
        context.addServlet(new ServletHolder(new NotFoundServlet()), "/");

        jetty.setHandler(new GracefulHandler(context));
        jetty.setStopTimeout(STOP_TIMEOUT_MILLIS);
        jetty.setStopAtShutdown(false);
        return jetty;
    }

    private void logStarted(int demoAccounts) {
        long keys = 0;
        for (Account account : services.accounts().list()) {
            keys += services.keys().activeKeyCount(account.id());
        }
        LOG.info("tierlimit example server listening on {}", baseUri);
        LOG.info("Data directory {}: {} accounts, {} active API keys{}", store.directory(), services.accounts().count(),
                keys, demoAccounts == 0 ? "" : " (" + demoAccounts + " demo accounts created; their keys were printed"
                        + " on standard output and are stored only as hashes)");
        LOG.info("Tiers: {} (new accounts get \"{}\")", services.catalog().ids(), services.catalog().defaultTier().id());
        LOG.info("Limiter: {}", limiter.description());
        LOG.info("Try: curl -H \"X-API-Key: $KEY\" \"{}/api/v3/weather/current?city=Oslo\"", baseUri);
    }

    /** Returns the address to send requests to, such as {@code http://127.0.0.1:8080}. */
    URI baseUri() {
        return baseUri;
    }

    /** Returns the port the server listens on, the chosen one when it was started with port 0. */
    int port() {
        return baseUri.getPort();
    }

    TierlimitServices services() {
        return services;
    }

    /** Waits until the server has stopped. */
    void join() throws InterruptedException {
        jetty.join();
    }

    /**
     * Stops accepting requests, lets those in flight finish, then closes the limiter and the store.
     * Failures are logged, and every step runs. Calling it again does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("Stopping the server on {}", baseUri);
        stopQuietly(jetty);
        try {
            limiter.close();
        } catch (RuntimeException e) {
            LOG.error("Closing the limiter failed", e);
        }
        try {
            store.close();
            LOG.info("Stopped the server on {}", baseUri);
        } catch (RuntimeException e) {
            LOG.error("Closing the store in {} failed; changes since its last flush may be lost", store.directory(), e);
        }
    }

    private static void stopQuietly(Server jetty) {
        if (jetty == null) {
            return;
        }
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.error("Stopping Jetty failed", e);
        }
    }

    /** Puts brackets around an IPv6 address, as URIs need. */
    private static String hostForUri(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
