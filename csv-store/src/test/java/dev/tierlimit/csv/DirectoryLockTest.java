package dev.tierlimit.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierlimit.Account;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryLockTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path directory;

    @TempDir
    Path logs;

    private final MutableClock clock = new MutableClock(T0);

    @Test
    void secondOpenInJvmRejected() throws IOException {
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            assertThatThrownBy(() -> CsvTestFiles.quietStore(directory, clock).open())
                    .isInstanceOf(StoreLockedException.class)
                    .hasMessageContaining("data directory " + directory.toRealPath() + " is already open in this JVM")
                    .extracting(error -> ((StoreLockedException) error).directory())
                    .isEqualTo(directory.toRealPath());
            assertThat(store.accounts().count()).isZero();
        }
    }

    @Test
    void secondProcessRejected() throws Exception {
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            ProbeResult result = probe();

            assertThat(result.exitCode()).as(result.output()).isEqualTo(LockProbe.LOCKED_EXIT_CODE);
            assertThat(result.output()).contains("data directory " + directory.toRealPath() + " is in use by another process");
            assertThat(result.output()).contains("pid " + ProcessHandle.current().pid());
            store.accounts().insert(new Account("acct_1", "a@example.com", "free", T0));
        }
    }

    @Test
    void closeReleasesDirectory() throws Exception {
        CsvTestFiles.quietStore(directory, clock).open().close();

        ProbeResult result = probe();

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).startsWith("opened ");
        CsvTestFiles.quietStore(directory, clock).open().close();
    }

    @Test
    void closedStoreRejectsChanges() {
        CsvStore store = CsvTestFiles.quietStore(directory, clock).open();
        store.close();
        store.close();

        String closed = "the CSV store of " + store.directory() + " is closed";
        assertThatThrownBy(() -> store.accounts().insert(new Account("acct_1", "a@example.com", "free", T0)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(closed);
        assertThatThrownBy(() -> store.usage().add("acct_1", "", T0, 1, 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(closed);
        assertThatThrownBy(store::flush).isInstanceOf(IllegalStateException.class).hasMessageContaining(closed);
    }

    private record ProbeResult(int exitCode, String output) {
    }

    private ProbeResult probe() throws Exception {
        Process child = ChildJvm.start(LockProbe.class, logs.resolve("probe.log"), directory.toString());
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new ProbeResult(child.exitValue(), output);
    }
}
