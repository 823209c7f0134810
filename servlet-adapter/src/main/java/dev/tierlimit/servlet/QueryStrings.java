package dev.tierlimit.servlet;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Reads parameters from a raw query string. The adapter avoids {@code getParameter}, which also reads
 * a form body that belongs to the application or that an endpoint reads as JSON.
 */
final class QueryStrings {

    private QueryStrings() {
    }

    /** Returns the first value of {@code name} in {@code query}, decoded, or null; a name without {@code =} has value "". */
    static String first(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String rawName = equals < 0 ? pair : pair.substring(0, equals);
            if (decode(rawName).equals(name)) {
                return equals < 0 ? "" : decode(pair.substring(equals + 1));
            }
        }
        return null;
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // A broken escape is kept as written: it cannot match a parameter name or form a well-formed key.
            return value;
        }
    }
}
