package dev.tierlimit.examples;

import static dev.tierlimit.examples.RunningExample.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierlimit.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tierlimit.examples.CommandLineTest.Run;
import java.nio.file.Path;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The account commands on a real data directory, and what a server started on it afterwards reads. */
class AccountCommandsTest {

    @TempDir
    Path dataDirectory;

    private final MutableClock clock = new MutableClock(RunningExample.T0);

    @Test
    void createAccountPrintsUsableKey() throws Exception {
        Run run = Run.with(clock, "--create-account", "ada@example.com", "--tier", "business", "--data-dir",
                dataDirectory.toString());

        assertThat(run.status).as(run.err).isZero();
        Matcher line = RunningExample.DEMO_KEY.matcher(run.out.strip());
        assertThat(line.matches()).as(run.out).isTrue();
        assertThat(line.group(1)).isEqualTo("business");

        try (RunningExample example = RunningExample.start(dataDirectory, clock)) {
            assertThat(example.output()).as("a data directory with an account gets no demo accounts").isEmpty();
            JsonNode myTier = json(example.get("/api/v3/subscription/my-tier", line.group(3)), 200);
            assertThat(myTier.path("account_id").asText()).isEqualTo(line.group(2));
            assertThat(myTier.path("tier").path("id").asText()).isEqualTo("business");
        }
    }

    @Test
    void setTierChangesStoredTier() throws Exception {
        RunningExample.DemoKey pro;
        try (RunningExample example = RunningExample.start(dataDirectory, clock)) {
            pro = example.demoKeys().get("pro");
        }

        Run run = Run.with(clock, "--set-tier", pro.accountId(), "enterprise", "--data-dir", dataDirectory.toString());

        assertThat(run.status).as(run.err).isZero();
        assertThat(run.out).contains(pro.accountId(), "up to \"enterprise\"");
        try (RunningExample example = RunningExample.start(dataDirectory, clock)) {
            JsonNode myTier = json(example.get("/api/v3/subscription/my-tier", pro.rawKey()), 200);
            assertThat(myTier.path("tier").path("id").asText()).isEqualTo("enterprise");
        }
    }

    @Test
    void setTierBlocksDowngradeWithTooManyKeys() throws Exception {
        RunningExample.DemoKey pro;
        try (RunningExample example = RunningExample.start(dataDirectory, clock)) {
            pro = example.demoKeys().get("pro");
            json(example.post("/api/v3/keys", pro.rawKey(), null), 201);
            json(example.post("/api/v3/keys", pro.rawKey(), null), 201);
        }

        Run run = Run.with(clock, "--set-tier", pro.accountId(), "free", "--data-dir", dataDirectory.toString());

        assertThat(run.status).isEqualTo(ExampleServer.FAILED);
        assertThat(run.err).contains(pro.accountId(), "free");
        assertThat(run.err.strip().lines()).hasSize(1);
    }

    @Test
    void setTierUnknownAccountFails() {
        Run run = Run.with(clock, "--set-tier", "acct_missing", "pro", "--data-dir", dataDirectory.toString());

        assertThat(run.status).isEqualTo(ExampleServer.FAILED);
        assertThat(run.err).startsWith("tierlimit-example: ").contains("acct_missing");
    }

    @Test
    void commandsFailWhileServerRuns() throws Exception {
        try (RunningExample example = RunningExample.start(dataDirectory, clock)) {
            String accountId = example.demoKeys().get("free").accountId();

            Run create = Run.with(clock, "--create-account", "ada@example.com", "--data-dir", dataDirectory.toString());
            Run setTier = Run.with(clock, "--set-tier", accountId, "pro", "--data-dir", dataDirectory.toString());

            assertThat(create.status).isEqualTo(ExampleServer.FAILED);
            assertThat(create.out).isEmpty();
            assertThat(create.err).contains("data directory", "already open");
            assertThat(setTier.status).isEqualTo(ExampleServer.FAILED);
            assertThat(setTier.err).contains("data directory", "already open");
        }
    }

    @Test
    void demoKeysPrintedOnlyOnce() throws Exception {
        String first;
        try (RunningExample example = RunningExample.start(dataDirectory, clock)) {
            first = example.output();
        }
        try (RunningExample example = RunningExample.start(dataDirectory, clock)) {
            assertThat(example.output()).isEmpty();
        }

        assertThat(first.lines()).hasSize(4).allMatch(line -> RunningExample.DEMO_KEY.matcher(line).matches());
        assertThat(first).contains("tier=free ", "tier=pro ", "tier=business ", "tier=enterprise ");
    }
}
