package dev.tierlimit.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * A list of servlet-style path patterns matched against a request's path within the application:
 * {@code /health} matches that path exactly, {@code /static/*} matches {@code /static} and everything
 * below it, and {@code *.css} matches paths ending in {@code .css}. Immutable and thread-safe.
 */
final class PathPatterns {

    static final PathPatterns NONE = new PathPatterns(List.of());

    private final List<String> patterns;

    private PathPatterns(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    /**
     * Parses patterns separated by commas or whitespace.
     *
     * @throws IllegalArgumentException if a pattern starts with neither {@code /} nor {@code *.}, or
     *     has a {@code *} anywhere else than a trailing {@code /*} or a leading {@code *.}
     */
    static PathPatterns parse(String list) {
        if (list == null || list.isBlank()) {
            return NONE;
        }
        return of(List.of(list.strip().split("[,\\s]+")));
    }

    /** Validates and copies {@code patterns}; see {@link #parse(String)}. */
    static PathPatterns of(List<String> patterns) {
        List<String> checked = new ArrayList<>();
        for (String pattern : patterns) {
            checked.add(check(pattern.strip()));
        }
        return new PathPatterns(checked);
    }

    private static String check(String pattern) {
        boolean extension = pattern.startsWith("*.") && pattern.length() > 2;
        boolean prefix = pattern.startsWith("/") && pattern.endsWith("/*");
        String rest = pattern;
        if (extension) {
            rest = pattern.substring(1);
        } else if (prefix) {
            rest = pattern.substring(0, pattern.length() - 1);
        }
        if (!(extension || pattern.startsWith("/")) || rest.contains("*")) {
            throw new IllegalArgumentException("path pattern must be an exact path (/health), a prefix (/static/*) or an"
                    + " extension (*.css): \"" + pattern + "\"");
        }
        return pattern;
    }

    /** Returns whether {@code path} (starting with {@code /}) matches any pattern. */
    boolean matches(String path) {
        for (String pattern : patterns) {
            if (matches(pattern, path)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String pattern, String path) {
        if (pattern.startsWith("*.")) {
            return path.endsWith(pattern.substring(1));
        }
        if (pattern.endsWith("/*")) {
            String base = pattern.substring(0, pattern.length() - 2);
            return path.equals(base) || path.startsWith(base + "/");
        }
        return path.equals(pattern);
    }

    /**
     * Returns the request's decoded, normalized path within the application: servlet path plus path
     * info, as the container resolved them, so {@code ..} segments and escapes cannot dodge a pattern.
     */
    static String pathWithinApplication(HttpServletRequest request) {
        String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
        String pathInfo = request.getPathInfo() == null ? "" : request.getPathInfo();
        String path = servletPath + pathInfo;
        return path.isEmpty() ? "/" : path;
    }

    List<String> patterns() {
        return patterns;
    }

    @Override
    public String toString() {
        return String.join(",", patterns);
    }
}
