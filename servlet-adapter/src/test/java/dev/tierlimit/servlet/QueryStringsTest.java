package dev.tierlimit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryStringsTest {

    @Test
    void first_findsDecodedValue() {
        assertThat(QueryStrings.first("city=Oslo&api_key=tlk_live_abc", "api_key")).isEqualTo("tlk_live_abc");
        assertThat(QueryStrings.first("api%5Fkey=a%2Bb&x=1", "api_key")).isEqualTo("a+b");
        assertThat(QueryStrings.first("tier=pro&tier=max", "tier")).isEqualTo("pro");
    }

    @Test
    void first_missingOrEmpty() {
        assertThat(QueryStrings.first(null, "api_key")).isNull();
        assertThat(QueryStrings.first("city=Oslo", "api_key")).isNull();
        assertThat(QueryStrings.first("api_key", "api_key")).isEmpty();
        assertThat(QueryStrings.first("api_key_2=x", "api_key")).isNull();
    }

    @Test
    void first_keepsBrokenEscapes() {
        assertThat(QueryStrings.first("api_key=tlk%zz", "api_key")).isEqualTo("tlk%zz");
    }
}
