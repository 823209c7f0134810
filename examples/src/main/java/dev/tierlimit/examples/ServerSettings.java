package dev.tierlimit.examples;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The example server's address, data directory and limiter choice.
 *
 * @param host the IP address to listen on, or {@code localhost}
 * @param port the TCP port, 0 to 65535; 0 picks a free one
 * @param dataDirectory the directory of the store's files
 * @param redisUri the Redis to count requests in, such as {@code redis://127.0.0.1:6379}, or null to count
 *     them in memory
 * @param redisKeyPrefix the prefix of the limiter's Redis key names; unused without {@code redisUri}
 */
record ServerSettings(String host, int port, Path dataDirectory, String redisUri, String redisKeyPrefix) {

    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 8080;
    static final Path DEFAULT_DATA_DIRECTORY = Path.of("data");
    static final String DEFAULT_REDIS_KEY_PREFIX = "tierlimit:";

    ServerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(redisKeyPrefix, "redisKeyPrefix");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be from 0 to 65535: " + port);
        }
    }

    /** Returns the default settings with {@code port} and {@code dataDirectory}, as tests start the server. */
    static ServerSettings of(int port, Path dataDirectory) {
        return new ServerSettings(DEFAULT_HOST, port, dataDirectory, null, DEFAULT_REDIS_KEY_PREFIX);
    }

    /** Returns a copy that counts requests in the Redis at {@code uri} under {@code keyPrefix}. */
    ServerSettings withRedis(String uri, String keyPrefix) {
        return new ServerSettings(host, port, dataDirectory, uri, keyPrefix);
    }

    boolean usesRedis() {
        return redisUri != null;
    }
}
