package dev.tierlimit.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierlimit.Account;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersMigrationTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final String BACKUP = "users.csv.bak-20300101T000000Z";

    /** A file as an older host application wrote it: no tier column, extra columns, CRLF endings. */
    private static final String LEGACY = "id,name,email,created_at,company,notes\r\n"
            + "acct_1,Ann,ann@example.com,2029-03-04T05:06:07.000Z,\"Doe, \"\"JD\"\" Jr.\",\r\n"
            + "acct_2,Bob,bob@example.com,2029-03-05T00:00:00+02:00,,\"two\r\nlines\"\r\n"
            + "acct_3,Zoë 🚀, zoe@example.com ,2029-03-06T00:00:00Z,ACME,  padded  \r\n";

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(T0);

    @Test
    void legacyFileGetsTierColumn() {
        Path users = directory.resolve("users.csv");
        CsvTestFiles.write(users, false, LEGACY);
        List<List<String>> before = CsvTestFiles.records(users);

        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            assertThat(store.accounts().list()).extracting(Account::tierId).containsExactly("free", "free", "free");
            assertThat(store.accounts().find("acct_2").orElseThrow().createdAt())
                    .isEqualTo(Instant.parse("2029-03-04T22:00:00Z"));
        }

        assertThat(new String(CsvTestFiles.bytes(directory.resolve(BACKUP)), StandardCharsets.UTF_8)).isEqualTo(LEGACY);
        List<List<String>> after = CsvTestFiles.records(users);
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) {
            List<String> expected = new ArrayList<>(before.get(i));
            expected.add(i == 0 ? "subscription_tier" : "free");
            assertThat(after.get(i)).as("record %d", i).isEqualTo(expected);
        }
        assertThat(new String(CsvTestFiles.bytes(users), StandardCharsets.UTF_8))
                .startsWith("id,name,email,created_at,company,notes,subscription_tier\r\n");
    }

    @Test
    void secondOpenChangesNothing() {
        Path users = directory.resolve("users.csv");
        CsvTestFiles.write(users, false, LEGACY);
        CsvTestFiles.quietStore(directory, clock).open().close();
        byte[] migrated = CsvTestFiles.bytes(users);
        List<String> filesAfterFirstOpen = CsvTestFiles.fileNames(directory);

        clock.advance(java.time.Duration.ofDays(1));
        CsvTestFiles.quietStore(directory, clock).open().close();

        assertThat(CsvTestFiles.bytes(users)).isEqualTo(migrated);
        assertThat(CsvTestFiles.fileNames(directory)).isEqualTo(filesAfterFirstOpen);
        assertThat(CsvTestFiles.fileNames(directory)).filteredOn(name -> name.contains(".bak-")).containsExactly(BACKUP);
    }

    @Test
    void extraColumnsKeptOnLaterWrites() {
        Path users = directory.resolve("users.csv");
        CsvTestFiles.write(users, false, LEGACY);
        List<List<String>> migrated;
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            migrated = CsvTestFiles.records(users);
            store.accounts().updateTier("acct_1", "pro");
            store.accounts().insert(new Account("acct_4", "dee@example.com", "business", T0));
        }

        List<List<String>> records = CsvTestFiles.records(users);
        assertThat(records).hasSize(5);
        List<String> first = new ArrayList<>(migrated.get(1));
        first.set(6, "pro");
        assertThat(records.get(1)).isEqualTo(first);
        assertThat(records.subList(2, 4)).isEqualTo(migrated.subList(2, 4));
        assertThat(records.get(4)).containsExactly("acct_4", "", "dee@example.com", "2030-01-01T00:00:00Z", "", "", "business");
    }

    @Test
    void unknownTierReportedWithLine() {
        Path users = directory.resolve("users.csv");
        String text = "id,email,created_at,subscription_tier\n"
                + "acct_1,a@example.com,2030-01-01T00:00:00Z,pro\n"
                + "acct_2,b@example.com,2030-01-01T00:00:00Z,gold\n"
                + "acct_3,c@example.com,2030-01-01T00:00:00Z,free\n"
                + "acct_4,d@example.com,2030-01-01T00:00:00Z,Pro\n";
        CsvTestFiles.write(users, false, text);

        assertThatThrownBy(() -> CsvTestFiles.quietStore(directory, clock).open())
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("users.csv, line 3, column 4 (subscription_tier): unknown tier \"gold\"")
                .hasMessageContaining("known tiers: free, pro, business, enterprise")
                .hasMessageContaining("on lines 5 (\"Pro\")");
        assertThat(new String(CsvTestFiles.bytes(users), StandardCharsets.UTF_8)).isEqualTo(text);
        assertThat(CsvTestFiles.fileNames(directory)).containsExactly("tierlimit.lock", "users.csv");
    }
}
