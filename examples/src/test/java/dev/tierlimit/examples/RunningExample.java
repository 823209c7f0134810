package dev.tierlimit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real example server started in this JVM on a free loopback port, what it printed on standard
 * output, and a JDK {@link HttpClient} to call it.
 */
final class RunningExample implements AutoCloseable {

    static final Pattern DEMO_KEY =
            Pattern.compile("demo-key tier=([a-z]+) account=(acct_[A-Za-z0-9]+) key=(tlk_live_[A-Za-z0-9]+)");

    /** A start time that is a whole multiple of every slot width of the standard tiers (43,200 s for 30 days). */
    static final Instant T0 = Instant.ofEpochSecond(43_200L * 41_000);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    final ExampleApiServer server;
    private final ByteArrayOutputStream out;

    private RunningExample(ExampleApiServer server, ByteArrayOutputStream out) {
        this.server = server;
        this.out = out;
    }

    /** Starts the server with {@code settings}, capturing its standard output. */
    static RunningExample start(ServerSettings settings, InstantSource clock) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream printed = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new RunningExample(ExampleApiServer.start(settings, clock, printed), out);
    }

    /** Starts the server on a free port of 127.0.0.1 with the in-memory limiter. */
    static RunningExample start(Path dataDirectory, InstantSource clock) throws Exception {
        return start(ServerSettings.of(0, dataDirectory), clock);
    }

    /** Returns what the server printed on standard output. */
    String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Returns the account and raw key of each tier, from the {@code demo-key} lines printed. */
    Map<String, DemoKey> demoKeys() {
        Map<String, DemoKey> keys = new LinkedHashMap<>();
        Matcher matcher = DEMO_KEY.matcher(output());
        while (matcher.find()) {
            keys.put(matcher.group(1), new DemoKey(matcher.group(2), matcher.group(3)));
        }
        return keys;
    }

    /** An account and raw key from a {@code demo-key} line. */
    record DemoKey(String accountId, String rawKey) {
    }

    HttpResponse<String> get(String path, String key) {
        return send("GET", path, key, null);
    }

    HttpResponse<String> post(String path, String key, String body) {
        return send("POST", path, key, body);
    }

    HttpResponse<String> delete(String path, String key) {
        return send("DELETE", path, key, null);
    }

    HttpResponse<String> send(String method, String path, String key, String body) {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(server.baseUri().resolve(path))
                .timeout(Duration.ofSeconds(30))
                .method(method, publisher);
        if (key != null) {
            request.header("X-API-Key", key);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JsonResponses.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    /** Returns the JSON body after checking the status, so that a failure shows the body. */
    static JsonNode json(HttpResponse<String> response, int expectedStatus) {
        assertThat(response.statusCode()).as("status of %s %s, body %s", response.request().method(),
                response.uri(), response.body()).isEqualTo(expectedStatus);
        return json(response);
    }

    static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Override
    public void close() {
        server.close();
    }
}
