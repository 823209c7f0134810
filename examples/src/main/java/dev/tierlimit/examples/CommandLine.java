package dev.tierlimit.examples;

import dev.tierlimit.Account;
import dev.tierlimit.TierCatalog;
import dev.tierlimit.UnknownTierException;
import dev.tierlimit.redis.RedisSlidingWindowLimiter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the example's command line into a {@link Command}. Options are {@code --name value} or
 * {@code --name=value}; {@code --set-tier} takes two values. Every error is a {@link UsageException}
 * whose message names the option and the value.
 */
final class CommandLine {

    static final String PROGRAM = "tierlimit-example";

    /** The options and how many values each takes. */
    private static final Map<String, Integer> ARITY = Map.of(
            "--help", 0,
            "--host", 1,
            "--port", 1,
            "--data-dir", 1,
            "--redis", 1,
            "--redis-key-prefix", 1,
            "--create-account", 1,
            "--tier", 1,
            "--set-tier", 2);

    private static final Set<String> SERVER_OPTIONS = Set.of("--host", "--port", "--redis", "--redis-key-prefix");

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("(?=.*:)[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    /** Returns the help text, listing the tiers of {@code catalog}. */
    static String help(TierCatalog catalog) {
        return String.join("\n",
            "Usage: java -jar tierlimit-example.jar [--host IP] [--port PORT] [--data-dir DIR] [--redis URL]",
            "       java -jar tierlimit-example.jar --create-account EMAIL [--tier ID] [--data-dir DIR]",
            "       java -jar tierlimit-example.jar --set-tier ACCOUNT_ID TIER_ID [--data-dir DIR]",
            "",
            "Runs an example weather API behind the tierlimit rate-limit filter, or manages its accounts.",
            "On the first start with an empty data directory it creates one demo account per tier and",
            "prints each one's key once on standard output:",
            "  demo-key tier=<tier-id> account=<account-id> key=<raw-key>",
            "",
            "Server options:",
            "  --host IP                  IP address to listen on; 0.0.0.0 listens on every IPv4",
            "                             interface. Default: 127.0.0.1",
            "  --port PORT                TCP port, 0 to 65535; 0 picks a free port and logs it.",
            "                             Default: 8080",
            "  --data-dir DIR             directory of the accounts, API keys, usage history and saved",
            "                             limiter state; created if missing. Default: ./data",
            "  --redis URL                count requests in Redis, for example redis://127.0.0.1:6379,",
            "                             so that several servers share one set of limits. Default: count",
            "                             in memory and save the counts in the data directory",
            "  --redis-key-prefix PREFIX  prefix of the limiter's Redis key names, with --redis.",
            "                             Default: tierlimit:",
            "",
            "Account commands (they open the data directory, so stop a server that uses it first):",
            "  --create-account EMAIL     create an account with one API key, and print its id and key",
            "                             in the demo-key form above",
            "  --tier ID                  tier of the new account: " + String.join(", ", catalog.ids()) + ".",
            "                             Default: " + catalog.defaultTier().id(),
            "  --set-tier ACCOUNT_ID ID   move an account to another tier. A downgrade is rejected while",
            "                             the account has more active keys than the new tier allows",
            "",
            "  --help                     print this help and exit",
            "",
            "Exit status: 0 success, 1 failure (such as a port in use, a data directory held by a running",
            "server, or an unknown account), 2 invalid command line.");
    }

    private CommandLine() {
    }

    /**
     * Parses {@code args}.
     *
     * @throws UsageException if an option is unknown, repeated, missing its value, has an invalid value,
     *     or does not go with the others
     */
    static Command parse(String[] args, TierCatalog catalog) {
        Map<String, List<String>> options = options(args);
        if (options.containsKey("--help")) {
            return new Command.Help();
        }
        Path dataDirectory = options.containsKey("--data-dir")
                ? path("--data-dir", single(options, "--data-dir"))
                : ServerSettings.DEFAULT_DATA_DIRECTORY;
        boolean create = options.containsKey("--create-account");
        boolean setTier = options.containsKey("--set-tier");
        if (create && setTier) {
            throw new UsageException("--create-account and --set-tier cannot be combined; run them one at a time");
        }
        if (options.containsKey("--tier") && !create) {
            throw new UsageException("--tier goes with --create-account; to move an existing account use"
                    + " --set-tier ACCOUNT_ID TIER_ID");
        }
        if (create || setTier) {
            rejectServerOptions(options, create ? "--create-account" : "--set-tier");
        }

        if (create) {
            String tier = options.containsKey("--tier") ? tier("--tier", single(options, "--tier"), catalog)
                    : catalog.defaultTier().id();
            return new Command.CreateAccount(dataDirectory, single(options, "--create-account"), tier);
        }
        if (setTier) {
            List<String> values = options.get("--set-tier");
            return new Command.SetTier(dataDirectory, checked("--set-tier", values.get(0), Account::requireValidId),
                    tier("--set-tier", values.get(1), catalog));
        }
        return new Command.Serve(serverSettings(options, dataDirectory));
    }

    private static ServerSettings serverSettings(Map<String, List<String>> options, Path dataDirectory) {
        String host = options.containsKey("--host") ? host(single(options, "--host")) : ServerSettings.DEFAULT_HOST;
        int port = options.containsKey("--port") ? port(single(options, "--port")) : ServerSettings.DEFAULT_PORT;
        String redis = options.containsKey("--redis") ? checked("--redis", single(options, "--redis"),
                value -> RedisSlidingWindowLimiter.builder().uri(value)) : null;
        String prefix = ServerSettings.DEFAULT_REDIS_KEY_PREFIX;
        if (options.containsKey("--redis-key-prefix")) {
            if (redis == null) {
                throw new UsageException("--redis-key-prefix goes with --redis URL; without Redis the limiter counts"
                        + " in memory");
            }
            prefix = checked("--redis-key-prefix", single(options, "--redis-key-prefix"),
                    value -> RedisSlidingWindowLimiter.builder().keyPrefix(value));
        }
        return new ServerSettings(host, port, dataDirectory, redis, prefix);
    }

    /** Splits {@code args} into options and their values, rejecting unknown, repeated and incomplete ones. */
    private static Map<String, List<String>> options(String[] args) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        int i = 0;
        while (i < args.length) {
            String token = args[i++];
            if (token.equals("-h")) {
                token = "--help";
            }
            if (!token.startsWith("--")) {
                throw new UsageException("unexpected argument \"" + token + "\"; options start with --, run with --help"
                        + " to list them");
            }
            int equals = token.indexOf('=');
            String name = equals < 0 ? token : token.substring(0, equals);
            Integer arity = ARITY.get(name);
            if (arity == null) {
                throw new UsageException("unknown option " + name + "; run with --help to list the options");
            }
            if (options.containsKey(name)) {
                throw new UsageException("option " + name + " is given twice; give it once");
            }
            List<String> values = new ArrayList<>();
            if (equals >= 0) {
                if (arity != 1) {
                    throw new UsageException("option " + name + " takes " + (arity == 0 ? "no value" : arity
                            + " values separated by spaces") + ", not \"" + token + "\"");
                }
                values.add(token.substring(equals + 1));
            } else {
                while (values.size() < arity) {
                    if (i >= args.length || args[i].startsWith("--")) {
                        throw new UsageException("option " + name + " needs " + (arity == 1 ? "a value" : arity
                                + " values") + ": " + synopsis(name));
                    }
                    values.add(args[i++]);
                }
            }
            options.put(name, values);
        }
        return options;
    }

    private static String synopsis(String option) {
        switch (option) {
            case "--set-tier":
                return "--set-tier ACCOUNT_ID TIER_ID";
            case "--create-account":
                return "--create-account EMAIL";
            case "--port":
                return "--port PORT";
            case "--host":
                return "--host IP";
            case "--redis":
                return "--redis URL";
            case "--data-dir":
                return "--data-dir DIR";
            case "--tier":
                return "--tier ID";
            default:
                return option + " VALUE";
        }
    }

    private static void rejectServerOptions(Map<String, List<String>> options, String command) {
        for (String option : options.keySet()) {
            if (SERVER_OPTIONS.contains(option)) {
                throw new UsageException("option " + option + " applies only when running the server; drop it from "
                        + command);
            }
        }
    }

    private static String single(Map<String, List<String>> options, String name) {
        return options.get(name).get(0);
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // Reported below with the value.
        }
        throw new UsageException("invalid value for --port: \"" + value + "\"; expected a whole number from 0 to"
                + " 65535 (0 picks a free port)");
    }

    /**
     * Accepts IP literals and {@code localhost} only, because resolving any other name would send a DNS
     * query before the server has even started.
     */
    private static String host(String value) {
        String unbracketed = value.startsWith("[") && value.endsWith("]") ? value.substring(1, value.length() - 1) : value;
        if (unbracketed.equals("localhost") || isIpv4(unbracketed) || isIpv6(unbracketed)) {
            return unbracketed;
        }
        throw new UsageException("invalid value for --host: \"" + value + "\"; expected an IP address such as"
                + " 127.0.0.1, 0.0.0.0 or ::1, or localhost");
    }

    private static boolean isIpv4(String value) {
        Matcher matcher = IPV4.matcher(value);
        if (!matcher.matches()) {
            return false;
        }
        for (int group = 1; group <= 4; group++) {
            if (Integer.parseInt(matcher.group(group)) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks an IPv6 literal. {@link InetAddress} parses a text of hex digits, dots and at least one colon
     * as a literal and rejects it if invalid; it never looks such a text up.
     */
    private static boolean isIpv6(String value) {
        if (!IPV6_CHARACTERS.matcher(value).matches()) {
            return false;
        }
        try {
            return InetAddress.getByName(value) instanceof Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static Path path(String option, String value) {
        if (value.isBlank()) {
            throw new UsageException("invalid value for " + option + ": \"" + value + "\"; expected a directory path");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException("invalid value for " + option + ": \"" + value + "\"; " + e.getReason());
        }
    }

    private static String tier(String option, String value, TierCatalog catalog) {
        try {
            return catalog.get(value).id();
        } catch (UnknownTierException e) {
            throw new UsageException("invalid value for " + option + ": unknown tier \"" + value + "\"; the tiers are "
                    + String.join(", ", e.knownIds()));
        }
    }

    /** Runs a library's own check of {@code value}, turning its rejection into a usage error for {@code option}. */
    private static String checked(String option, String value, Consumer<String> check) {
        try {
            check.accept(value);
            return value;
        } catch (IllegalArgumentException e) {
            throw new UsageException("invalid value for " + option + ": " + e.getMessage());
        }
    }
}
