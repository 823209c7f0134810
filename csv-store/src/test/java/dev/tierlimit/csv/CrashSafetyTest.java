package dev.tierlimit.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierlimit.Account;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM while it rewrites {@code users.csv}, again and again, and checks after each kill
 * that the store opens with every account intact and every acknowledged change kept.
 */
class CrashSafetyTest {

    private static final int ACCOUNTS = 1_000;
    private static final int ROUNDS = 12;

    /** Rounds run beyond {@link #ROUNDS} while no kill has yet landed during a write. */
    private static final int MAX_EXTRA_ROUNDS = 20;
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path directory;

    @TempDir
    Path logs;

    @Test
    void killedWriterLeavesWholeFile() throws Exception {
        MutableClock clock = new MutableClock(T0);
        Map<String, String> tiers = new HashMap<>();
        try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
            for (int i = 0; i < ACCOUNTS; i++) {
                Account account = new Account(id(i), "user" + i + "@example.com", "free", T0.plusSeconds(i));
                store.accounts().insert(account);
                tiers.put(account.id(), "free");
            }
        }

        Random random = new Random(12);
        int roundsWithTemporaryFile = 0;
        int round = 0;
        for (; round < ROUNDS || (roundsWithTemporaryFile == 0 && round < ROUNDS + MAX_EXTRA_ROUNDS); round++) {
            int savesBeforeKill = 1 + random.nextInt(40);
            long pauseNanos = random.nextInt(15_000_000);
            String inFlight = runAndKill(round, savesBeforeKill, pauseNanos, tiers);
            boolean temporaryFileLeft = CsvTestFiles.fileNames(directory).stream().anyMatch(name -> name.endsWith(".tmp"));
            roundsWithTemporaryFile += temporaryFileLeft ? 1 : 0;

            try (CsvStore store = CsvTestFiles.quietStore(directory, clock).open()) {
                List<Account> accounts = store.accounts().list();
                assertThat(accounts).as("round %d", round).hasSize(ACCOUNTS);
                for (int i = 0; i < ACCOUNTS; i++) {
                    Account account = accounts.get(i);
                    assertThat(account.id()).isEqualTo(id(i));
                    assertThat(account.email()).isEqualTo("user" + i + "@example.com");
                    assertThat(account.createdAt()).isEqualTo(T0.plusSeconds(i));
                    String expected = tiers.get(account.id());
                    boolean isInFlightChange = inFlight != null && inFlight.equals(account.id() + " " + account.tierId());
                    assertThat(account.tierId().equals(expected) || isInFlightChange)
                            .as("round %d: %s has tier %s, last acknowledged %s, in flight %s", round, account.id(),
                                    account.tierId(), expected, inFlight)
                            .isTrue();
                    tiers.put(account.id(), account.tierId());
                }
            }
            assertThat(CsvTestFiles.fileNames(directory)).as("round %d", round).noneMatch(name -> name.endsWith(".tmp"));
            assertThat(CsvTestFiles.records(directory.resolve("users.csv"))).hasSize(ACCOUNTS + 1);
        }
        System.out.printf("CrashSafetyTest: %d of %d kills left a temporary file behind%n", roundsWithTemporaryFile, round);
        // Without a single kill during a write, this test would not have tested the rename.
        assertThat(roundsWithTemporaryFile).isPositive();
    }

    /**
     * Runs a child until it acknowledged {@code saves} changes, kills it {@code pauseNanos} later,
     * and records every acknowledged change in {@code tiers}. Killing right after an acknowledgement
     * would always hit the child between two writes. The pause, from zero to a few write cycles,
     * moves the kill to varying points of a write.
     *
     * @return the change it started last and did not acknowledge, as {@code "<id> <tier>"}, or null
     */
    private String runAndKill(int round, int saves, long pauseNanos, Map<String, String> tiers)
            throws IOException, InterruptedException {
        Process child = ChildJvm.start(CrashChild.class, logs.resolve("child-" + round + ".log"), directory.toString(),
                Integer.toString(round));
        String inFlight = null;
        int acknowledged = 0;
        try (BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = output.readLine()) != null) {
                if (line.startsWith("saving ")) {
                    inFlight = line.substring("saving ".length());
                } else if (line.startsWith("saved ")) {
                    String[] change = line.split(" ");
                    tiers.put(change[1], change[2]);
                    inFlight = null;
                    if (++acknowledged == saves) {
                        LockSupport.parkNanos(pauseNanos);
                        // SIGKILL through the handle: Process.destroyForcibly would also close the pipe this loop still reads.
                        child.toHandle().destroyForcibly();
                    }
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acknowledged).as("round %d: child output ended early; see its log in %s", round, logs)
                .isGreaterThanOrEqualTo(saves);
        assertThat(child.exitValue()).as("exit code of a killed JVM").isEqualTo(137);
        return inFlight;
    }

    private static String id(int i) {
        return String.format("acct_%04d", i);
    }
}
