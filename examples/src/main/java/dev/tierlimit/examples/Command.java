package dev.tierlimit.examples;

import java.nio.file.Path;

/** The action of one run of the example, as {@link CommandLine} parsed it. */
sealed interface Command {

    /** Print the help text. */
    record Help() implements Command {
    }

    /** Run the server until it is stopped. */
    record Serve(ServerSettings settings) implements Command {
    }

    /** Create an account on {@code tierId} with one key, and print its id and raw key. */
    record CreateAccount(Path dataDirectory, String email, String tierId) implements Command {
    }

    /** Move an existing account to {@code tierId}. */
    record SetTier(Path dataDirectory, String accountId, String tierId) implements Command {
    }
}
