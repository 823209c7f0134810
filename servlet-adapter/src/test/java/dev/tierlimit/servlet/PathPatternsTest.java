package dev.tierlimit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PathPatternsTest {

    @Test
    void exactPattern_matchesOnlyThatPath() {
        PathPatterns patterns = PathPatterns.parse("/health");

        assertThat(patterns.matches("/health")).isTrue();
        assertThat(patterns.matches("/health/deep")).isFalse();
        assertThat(patterns.matches("/healthz")).isFalse();
    }

    @Test
    void prefixPattern_matchesBaseAndBelow() {
        PathPatterns patterns = PathPatterns.parse("/api/v3/keys/*");

        assertThat(patterns.matches("/api/v3/keys")).isTrue();
        assertThat(patterns.matches("/api/v3/keys/key_1/rotate")).isTrue();
        assertThat(patterns.matches("/api/v3/keysmith")).isFalse();
    }

    @Test
    void extensionPattern_matchesSuffix() {
        PathPatterns patterns = PathPatterns.parse("*.css");

        assertThat(patterns.matches("/static/site.css")).isTrue();
        assertThat(patterns.matches("/static/site.js")).isFalse();
    }

    @Test
    void list_splitsOnCommasAndSpaces() {
        PathPatterns patterns = PathPatterns.parse(" /health,\n /metrics/*  *.css ");

        assertThat(patterns.patterns()).containsExactly("/health", "/metrics/*", "*.css");
        assertThat(PathPatterns.parse("  ").patterns()).isEmpty();
    }

    @Test
    void invalidPatterns_rejected() {
        for (String invalid : new String[] {"health", "/api/*/keys", "/api*", "*.", "**.css"}) {
            assertThatThrownBy(() -> PathPatterns.parse(invalid))
                    .as(invalid)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(invalid);
        }
    }
}
