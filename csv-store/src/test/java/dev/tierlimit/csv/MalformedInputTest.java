package dev.tierlimit.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tierlimit.InMemorySlidingWindowLimiter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MalformedInputTest {

    private static final String USERS_HEADER = "id,email,created_at,subscription_tier\n";
    private static final String KEYS_HEADER = "id,account_id,label,prefix,hash,created_at,last_used_at,revoked_at,expires_at\n";
    private static final String USAGE_HEADER = "account_id,key_id,hour_start,requests,cost\n";
    private static final String HASH = "a".repeat(64);
    private static final String KEY = "key_1,acct_1,ci,AbCdEfGh," + HASH + ",2030-01-01T00:00:00Z,,,\n";

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    /**
     * A malformed file and what the error must say.
     *
     * @param file the file name
     * @param content its whole text
     * @param line the line the error names
     * @param column the column the error names, 0 for none
     * @param problem text the message must contain after the location
     */
    record Case(String name, String file, String content, long line, int column, String problem) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("too few columns", "users.csv", USERS_HEADER + "acct_1,a@example.com,2030-01-01T00:00:00Z\n", 2, 4,
                        "column 4 (subscription_tier): the record has 3 values but the header has 4 columns"),
                new Case("too many columns", "users.csv", USERS_HEADER + "acct_1,a@example.com,2030-01-01T00:00:00Z,free,x\n",
                        2, 5, "column 5: the record has 5 values but the header has 4 columns"),
                new Case("unparseable time", "users.csv", USERS_HEADER
                        + "acct_1,a@example.com,2030-01-01T00:00:00Z,free\nacct_2,b@example.com,yesterday,free\n", 3, 3,
                        "column 3 (created_at): invalid time \"yesterday\""),
                new Case("duplicate account id", "users.csv", USERS_HEADER
                        + "acct_1,a@example.com,2030-01-01T00:00:00Z,free\n"
                        + "acct_2,b@example.com,2030-01-01T00:00:00Z,free\n"
                        + "acct_1,c@example.com,2030-01-01T00:00:00Z,pro\n", 4, 1,
                        "column 1 (id): duplicate account id \"acct_1\"; line 2 has the same id"),
                new Case("empty file", "users.csv", "", 1, 1, "column 1: the file is empty"),
                new Case("only a byte-order mark", "users.csv", "\uFEFF\r\n", 1, 1, "column 1: the file is empty"),
                new Case("missing header", "users.csv", "acct_1,a@example.com,2030-01-01T00:00:00Z,free\n", 1, 1,
                        "the header has no column id, email, created_at"),
                new Case("unclosed quote", "users.csv", USERS_HEADER + "acct_1,\"a@example.com,2030-01-01T00:00:00Z,free\n",
                        2, 0, "not valid CSV (found at line 3, character 1): Missing closing quote"),
                new Case("invalid account id", "users.csv", USERS_HEADER + "acct 1,a@example.com,2030-01-01T00:00:00Z,free\n",
                        2, 1, "column 1 (id): account id must be 1 to 64 letters"),
                new Case("invalid email", "users.csv", USERS_HEADER + "acct_1,nobody,2030-01-01T00:00:00Z,free\n", 2, 2,
                        "column 2 (email): account email must contain '@'"),
                new Case("duplicate header name", "users.csv", "id,email,created_at,subscription_tier,EMAIL\n", 1, 5,
                        "column 5 (EMAIL): duplicate column name; column 2 has the same name"),
                new Case("invalid key hash", "api_keys.csv", KEYS_HEADER + KEY.replace(HASH, "A".repeat(64)), 2, 5,
                        "column 5 (hash): invalid key hash"),
                new Case("unparseable last use", "api_keys.csv", KEYS_HEADER + KEY.replace(",,,", ",soon,,"), 2, 7,
                        "column 7 (last_used_at): invalid time \"soon\""),
                new Case("duplicate key id", "api_keys.csv", KEYS_HEADER + KEY + KEY.replace(HASH, "b".repeat(64)), 3, 1,
                        "column 1 (id): duplicate key id \"key_1\"; line 2 has the same value"),
                new Case("duplicate key hash", "api_keys.csv", KEYS_HEADER + KEY + KEY.replace("key_1", "key_2"), 3, 5,
                        "column 5 (hash): duplicate key hash; line 2 has the same value"),
                new Case("negative usage count", "usage.csv", USAGE_HEADER + "acct_1,,2030-01-01T00:00:00Z,-1,1\n", 2, 4,
                        "column 4 (requests): invalid count \"-1\""),
                new Case("usage off the hour", "usage.csv", USAGE_HEADER + "acct_1,,2030-01-01T00:30:00Z,1,1\n", 2, 3,
                        "column 3 (hour_start): usage bucket must start on a whole UTC hour"),
                new Case("duplicate usage bucket", "usage.csv", USAGE_HEADER + "acct_1,k,2030-01-01T00:00:00Z,1,1\n"
                        + "acct_1,k,2030-01-01T00:00:00Z,2,2\n", 3, 3, "duplicate usage bucket"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void malformedFileRejectedUnchanged(Case bad) throws Exception {
        Path file = directory.resolve(bad.file());
        CsvTestFiles.write(file, false, bad.content());
        byte[] before = CsvTestFiles.bytes(file);

        CsvFormatException error = catchThrowableOfType(CsvFormatException.class,
                () -> CsvTestFiles.quietStore(directory, clock).open());

        assertThat(error).as("error for %s", bad).isNotNull();
        String location = file.toRealPath().toString() + ", line " + bad.line();
        assertThat(error.getMessage()).startsWith(location);
        assertThat(error.getMessage()).contains(bad.problem());
        assertThat(error.line()).isEqualTo(bad.line());
        assertThat(error.column()).isEqualTo(bad.column());
        assertThat(CsvTestFiles.bytes(file)).isEqualTo(before);
        assertThat(CsvTestFiles.fileNames(directory)).noneMatch(name -> name.endsWith(".tmp") || name.contains(".bak-"));
    }

    @Test
    void fixedFileOpensAfterError() {
        Path users = directory.resolve("users.csv");
        CsvTestFiles.write(users, false, USERS_HEADER + "acct_1,a@example.com,2030-01-01T00:00:00Z\n");
        assertThatThrownBy(() -> CsvTestFiles.quietStore(directory, clock).open()).isInstanceOf(CsvFormatException.class);

        CsvTestFiles.write(users, false, USERS_HEADER + "acct_1,a@example.com,2030-01-01T00:00:00Z,pro\n");
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            assertThat(store.accounts().find("acct_1").orElseThrow().tierId()).isEqualTo("pro");
        }
    }

    @Test
    void malformedLimiterStateRejected() {
        Path file = directory.resolve("limiter_state.csv");
        String content = "key,precision,taken_at,latest_millis,window_millis,newest_slot,counts\n"
                + "account:a,60,2030-01-01T00:00:00Z,1000,3600000,0," + "0 ".repeat(60) + "1\n"
                + "account:b,60,2030-01-01T00:00:00Z,1000,3600000,0,1 2 3\n";
        CsvTestFiles.write(file, false, content);
        InMemorySlidingWindowLimiter limiter = InMemorySlidingWindowLimiter.builder().clock(clock).build();

        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            assertThatThrownBy(() -> store.restoreLimiter(limiter))
                    .isInstanceOf(CsvFormatException.class)
                    .hasMessageContaining("limiter_state.csv, line 3, column 7 (counts): has 3 slot counts; precision 60"
                            + " needs 61");
        }
        assertThat(limiter.trackedKeys()).isZero();
        assertThat(new String(CsvTestFiles.bytes(file), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(content);
    }

    @Test
    void limiterPrecisionMismatchRejected() {
        InMemorySlidingWindowLimiter saved = InMemorySlidingWindowLimiter.builder().clock(clock).build();
        saved.tryAcquire("account:a", java.util.List.of(dev.tierlimit.Limit.hourly(10)), 1);
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            store.saveLimiter(saved);
        }
        InMemorySlidingWindowLimiter other = InMemorySlidingWindowLimiter.builder().precision(30).clock(clock).build();

        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            assertThatThrownBy(() -> store.restoreLimiter(other))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("saved by a limiter with precision 60, but this limiter has precision 30");
        }
    }
}
