package dev.tierlimit.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test only when Redis replies to PING on 127.0.0.1:6379. Otherwise the test is skipped with
 * a message saying how to run it, or fails when the environment variable
 * {@code TIERLIMIT_REQUIRE_REDIS} is {@code true}, as CI sets it; the redis-store module's tests do
 * the same.
 */
final class RedisRequirement implements ExecutionCondition {

    static final String HOST = "127.0.0.1";
    static final int PORT = 6379;
    static final String URI = "redis://" + HOST + ":" + PORT;
    static final String REQUIRE_VARIABLE = "TIERLIMIT_REQUIRE_REDIS";

    private static final int PING_TIMEOUT_MILLIS = 2_000;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String reason = unavailableReason();
        if (reason == null) {
            return ConditionEvaluationResult.enabled("Redis replies on " + HOST + ":" + PORT);
        }
        if ("true".equalsIgnoreCase(System.getenv(REQUIRE_VARIABLE))) {
            throw new IllegalStateException(reason + "; " + REQUIRE_VARIABLE + "=true makes the Redis tests"
                    + " mandatory. Start Redis on " + HOST + ":" + PORT + ".");
        }
        String skipped = reason + ", so the example server's Redis test is skipped. To run it, start Redis on " + HOST
                + ":" + PORT + " (for example: redis-server --port " + PORT + " --save '' --appendonly no); set "
                + REQUIRE_VARIABLE + "=true to make it fail instead of skipping.";
        System.err.println("WARNING: " + skipped);
        return ConditionEvaluationResult.disabled(skipped);
    }

    /** Returns why Redis cannot be used, or null when it replies to PING. */
    private static String unavailableReason() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), PING_TIMEOUT_MILLIS);
            socket.setSoTimeout(PING_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[7];
            int read = in.readNBytes(reply, 0, reply.length);
            String text = new String(reply, 0, read, StandardCharsets.US_ASCII);
            return text.startsWith("+PONG") ? null
                    : "Redis on " + HOST + ":" + PORT + " replied to PING with \"" + text.strip() + "\"";
        } catch (IOException e) {
            return "Redis is not replying on " + HOST + ":" + PORT + " (" + e.getMessage() + ")";
        }
    }
}
