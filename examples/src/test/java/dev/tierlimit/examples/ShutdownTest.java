package dev.tierlimit.examples;

import static dev.tierlimit.examples.RunningExample.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierlimit.examples.CommandLineTest.Run;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as its own process, started by {@link ExampleServer#main} with this JVM's class path
 * and stopped with SIGTERM: the shutdown hook must save the limiter state and flush the store.
 */
class ShutdownTest {

    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
    /** Generous, because the two cores of a build machine are shared. Tests never assert on it. */
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    private Process server;

    @AfterEach
    void killServer() {
        if (server != null && server.isAlive()) {
            server.destroyForcibly();
        }
    }

    @Test
    void sigtermSavesLimiterAndUsage() throws Exception {
        Path dataDirectory = directory.resolve("data");
        server = startServer("--port", "0", "--data-dir", dataDirectory.toString());
        StringBuffer log = new StringBuffer();
        CompletableFuture<URI> address = new CompletableFuture<>();
        Thread logReader = readLog(server, log, address);
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        List<String> demoLines = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            demoLines.add(out.readLine());
        }
        Matcher free = RunningExample.DEMO_KEY.matcher(demoLines.get(0));
        assertThat(free.matches()).as(demoLines.get(0)).isTrue();
        URI base = address.get(STARTUP_WAIT.toSeconds(), TimeUnit.SECONDS);

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> last = null;
        for (int i = 0; i < 3; i++) {
            last = http.send(HttpRequest.newBuilder(base.resolve("/api/v3/weather/current?city=Oslo"))
                    .header("X-API-Key", free.group(3)).build(), HttpResponse.BodyHandlers.ofString());
        }
        assertThat(header(last, "X-RateLimit-Used")).isEqualTo("3");

        Run locked = Run.of("--create-account", "ada@example.com", "--data-dir", dataDirectory.toString());
        assertThat(locked.status).isEqualTo(ExampleServer.FAILED);
        assertThat(locked.err).contains("in use by another process", "pid " + server.pid());

        // Process.destroy() would also close our end of the server's pipes, and with it the rest of its log.
        assertThat(server.toHandle().destroy()).as("SIGTERM sent").isTrue();
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("server stopped after SIGTERM").isTrue();
        logReader.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(log.toString()).as("log of the server, which exited with %d", server.exitValue()).contains("Stopping the server on " + base, "Closed the CSV store", "Stopped the server");
        assertThat(Files.readString(dataDirectory.resolve("limiter_state.csv"))).contains("account:" + free.group(2));
        assertThat(Files.readString(dataDirectory.resolve("usage.csv"))).contains(free.group(2));

        try (RunningExample restarted = RunningExample.start(dataDirectory, InstantSource.system())) {
            HttpResponse<String> after = restarted.get("/api/v3/weather/current?city=Oslo", free.group(3));
            assertThat(header(after, "X-RateLimit-Used")).isEqualTo("4");
        }
    }

    @Test
    void portInUseExitsOne() throws Exception {
        try (RunningExample running = RunningExample.start(directory.resolve("first"), InstantSource.system())) {
            Run second = Run.of("--port", Integer.toString(running.server.port()), "--data-dir",
                    directory.resolve("second").toString());

            assertThat(second.status).isEqualTo(ExampleServer.FAILED);
            assertThat(second.err).contains("cannot listen on 127.0.0.1 port " + running.server.port(), "--port");
            assertThat(second.err.strip().lines()).hasSize(1);
            assertThat(second.out).doesNotContain("demo-key");
        }

        // The failed start created no demo accounts, so the next start still shows their keys.
        try (RunningExample retry = RunningExample.start(directory.resolve("second"), InstantSource.system())) {
            assertThat(retry.demoKeys()).containsOnlyKeys("free", "pro", "business", "enterprise");
        }
    }

    private static Process startServer(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), ExampleServer.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }

    /**
     * Copies the server's standard error into {@code log} on a thread of its own, so that logging never
     * blocks the server, and completes {@code address} when the line with the address appears. The
     * returned thread ends when the server's standard error closes.
     */
    private static Thread readLog(Process server, StringBuffer log, CompletableFuture<URI> address) {
        Thread reader = new Thread(() -> {
            try (BufferedReader err = server.errorReader(StandardCharsets.UTF_8)) {
                String line;
                while ((line = err.readLine()) != null) {
                    log.append(line).append('\n');
                    Matcher matcher = LISTENING.matcher(line);
                    if (matcher.find()) {
                        address.complete(URI.create(matcher.group(1)));
                    }
                }
            } catch (IOException e) {
                address.completeExceptionally(e);
            }
            address.completeExceptionally(new AssertionError("the server exited before listening:\n" + log));
        }, "server-log-reader");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }
}
