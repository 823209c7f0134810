package dev.tierlimit.examples;

import static dev.tierlimit.examples.RunningExample.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierlimit.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every 5xx is logged with its cause: an exception that escapes a servlet, and a store that fails
 * under the running example server. Reads the log from standard error, where slf4j-simple writes it.
 */
class ServerErrorLogTest {

    @TempDir
    Path directory;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureLog() {
        originalErr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        System.setErr(originalErr);
        originalErr.print(log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void escapedExceptionBecomesLogged500() throws Exception {
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addFilter(new FilterHolder(new ServerErrorLog()), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new FailingServlet()), "/boom");
        jetty.setHandler(context);
        jetty.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/boom?api_key=secret");
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());

            JsonNode problem = json(response, 500);
            assertThat(problem.path("detail").asText()).contains("log has the cause");
            assertThat(problem.toString()).doesNotContain("disk on fire");
        } finally {
            jetty.stop();
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("ERROR ServerErrorLog - 500 for GET /boom", "IllegalStateException: disk on fire",
                "at dev.tierlimit.examples.ServerErrorLogTest$FailingServlet");
        assertThat(logged).doesNotContain("secret");
    }

    @Test
    void failedStoreLogged503WithCause() throws Exception {
        Path dataDirectory = directory.resolve("data");
        String key;
        try (RunningExample example = RunningExample.start(dataDirectory, new MutableClock(RunningExample.T0))) {
            key = example.demoKeys().get("pro").rawKey();
            deleteRecursively(dataDirectory);

            json(example.post("/api/v3/keys", key, null), 503);
        }

        // The filter logs after the response has gone out; stopping the server waited for it.
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("WARN ServerErrorLog - 503 for POST /api/v3/keys");
        assertThat(logged).contains("WARN Endpoints - A store failed; sent 503 to POST /api/v3/keys",
                "StoreException: writing");
        assertThat(logged).doesNotContain(key);
    }

    private static void deleteRecursively(Path path) throws Exception {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** Fails every request with an exception, as a bug in an application would. */
    static final class FailingServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            throw new IllegalStateException("disk on fire");
        }
    }
}
