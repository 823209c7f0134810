package dev.tierlimit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierlimit.TierCatalog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Parsing of the command line, and the help and usage errors as {@link ExampleServer#run} prints them. */
class CommandLineTest {

    private static final TierCatalog CATALOG = TierCatalog.standard();

    @Test
    void defaultsServeLoopback8080() {
        Command command = CommandLine.parse(new String[0], CATALOG);

        assertThat(command).isEqualTo(new Command.Serve(new ServerSettings("127.0.0.1", 8080, Path.of("data"), null,
                "tierlimit:")));
    }

    @Test
    void serverOptionsInBothForms() {
        Command command = CommandLine.parse(new String[] {"--host", "0.0.0.0", "--port=0", "--data-dir", "/tmp/x",
            "--redis", "redis://127.0.0.1:6379", "--redis-key-prefix=demo:"}, CATALOG);

        assertThat(command).isEqualTo(new Command.Serve(new ServerSettings("0.0.0.0", 0, Path.of("/tmp/x"),
                "redis://127.0.0.1:6379", "demo:")));
    }

    @Test
    void ipv6HostLosesBrackets() {
        Command.Serve command = (Command.Serve) CommandLine.parse(new String[] {"--host", "[::1]"}, CATALOG);

        assertThat(command.settings().host()).isEqualTo("::1");
    }

    @Test
    void accountCommandsParse() {
        assertThat(CommandLine.parse(new String[] {"--create-account", "a@example.com"}, CATALOG))
                .isEqualTo(new Command.CreateAccount(Path.of("data"), "a@example.com", "free"));
        assertThat(CommandLine.parse(new String[] {"--create-account", "a@example.com", "--tier", "business",
            "--data-dir", "d"}, CATALOG))
                .isEqualTo(new Command.CreateAccount(Path.of("d"), "a@example.com", "business"));
        assertThat(CommandLine.parse(new String[] {"--set-tier", "acct_1", "pro"}, CATALOG))
                .isEqualTo(new Command.SetTier(Path.of("data"), "acct_1", "pro"));
    }

    @Test
    void helpWinsOverOtherOptions() {
        assertThat(CommandLine.parse(new String[] {"--port", "1", "--help"}, CATALOG)).isEqualTo(new Command.Help());
        assertThat(CommandLine.parse(new String[] {"-h"}, CATALOG)).isEqualTo(new Command.Help());
    }

    @Test
    void helpListsEveryOptionWithDefaults() {
        Run run = Run.of("--help");

        assertThat(run.status).isZero();
        assertThat(run.err).isEmpty();
        for (String option : new String[] {"--host IP", "--port PORT", "--data-dir DIR", "--redis URL",
            "--redis-key-prefix PREFIX", "--create-account EMAIL", "--tier ID", "--set-tier ACCOUNT_ID ID", "--help"}) {
            assertThat(run.out).contains("  " + option + " ");
        }
        assertThat(run.out).contains("Default: 127.0.0.1", "Default: 8080", "Default: ./data", "Default: tierlimit:",
                "Default: free", "free, pro, business, enterprise", "0 picks a free port", "Exit status");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--port abc            | invalid value for --port: \"abc\"",
        "--port 70000          | invalid value for --port: \"70000\"",
        "--port=-1             | invalid value for --port: \"-1\"",
        "--port                | option --port needs a value: --port PORT",
        "--port 1 --port 2     | option --port is given twice",
        "--host example.com    | invalid value for --host: \"example.com\"",
        "--host 300.1.1.1      | invalid value for --host: \"300.1.1.1\"",
        "--prot 8080           | unknown option --prot",
        "serve                 | unexpected argument \"serve\"",
        "--redis localhost     | invalid value for --redis: invalid Redis URI \"localhost\"",
        "--redis-key-prefix x: | --redis-key-prefix goes with --redis URL",
        "--redis redis://127.0.0.1:6379 --redis-key-prefix {x} | invalid value for --redis-key-prefix",
        "--create-account a@example.com --tier gold | invalid value for --tier: unknown tier \"gold\"; the tiers are free, pro, business, enterprise",
        "--create-account a@example.com --port 1    | option --port applies only when running the server",
        "--create-account a@example.com --set-tier acct_1 pro | cannot be combined",
        "--tier pro            | --tier goes with --create-account",
        "--set-tier acct_1     | option --set-tier needs 2 values: --set-tier ACCOUNT_ID TIER_ID",
        "--set-tier acct_1 gold | invalid value for --set-tier: unknown tier \"gold\"",
        "--set-tier acct/1 pro | invalid value for --set-tier: account id must be",
        "--help=yes            | option --help takes no value",
    })
    void badUsageExitsTwoWithOneLine(String args, String expected) {
        Run run = Run.of(args.trim().split(" +"));

        assertThat(run.status).isEqualTo(ExampleServer.BAD_USAGE);
        assertThat(run.out).isEmpty();
        assertThat(run.err).startsWith("tierlimit-example: ").contains(expected);
        assertThat(run.err.strip().lines()).hasSize(1);
    }

    @Test
    void invalidEmailIsBadUsage(@org.junit.jupiter.api.io.TempDir Path dataDirectory) {
        Run run = Run.of("--create-account", "no-at-sign", "--data-dir", dataDirectory.toString());

        assertThat(run.status).isEqualTo(ExampleServer.BAD_USAGE);
        assertThat(run.err).contains("invalid value for --create-account", "\"no-at-sign\"");
        assertThat(dataDirectory.resolve("users.csv")).doesNotExist();
    }

    @Test
    void parseRejectsBeforeAnyWork() {
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--port", "8080x"}, CATALOG))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("whole number from 0 to 65535");
    }

    /** One in-process run of the command line, with what it printed. */
    static final class Run {

        final int status;
        final String out;
        final String err;

        private Run(int status, String out, String err) {
            this.status = status;
            this.out = out;
            this.err = err;
        }

        static Run of(String... args) {
            return with(InstantSource.system(), args);
        }

        static Run with(InstantSource clock, String... args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = ExampleServer.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), clock);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }
}
