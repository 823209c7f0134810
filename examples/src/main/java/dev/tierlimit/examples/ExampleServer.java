package dev.tierlimit.examples;

import dev.tierlimit.TierCatalog;
import java.io.PrintStream;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of the example: {@code java -jar tierlimit-example.jar --help} lists the options.
 *
 * <p>Without an account command it runs the example API server until the JVM receives a stop signal
 * (SIGTERM, or SIGINT from Ctrl-C); a shutdown hook then stops Jetty gracefully and saves and closes the store.
 * Logs go to standard error, and standard output carries only the lines meant for scripts: the
 * {@code demo-key} lines, the help text and the result of an account command.
 *
 * <p>Exit status: {@value #OK} on success, {@value #FAILED} when the server or a command failed,
 * {@value #BAD_USAGE} for an invalid command line, each with one line on standard error.
 */
public final class ExampleServer {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_USAGE = 2;

    private static final Logger LOG = LoggerFactory.getLogger(ExampleServer.class);

    private ExampleServer() {
    }

    /**
     * Runs the example with {@code args} and exits with its status.
     *
     * @param args the command line; {@code --help} describes it
     */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err, InstantSource.system());
        if (status != OK) {
            System.exit(status);
        }
    }

    /**
     * Runs the example. Running the server blocks until the JVM shuts down; every other command returns
     * when done.
     *
     * @return the exit status
     */
    static int run(String[] args, PrintStream out, PrintStream err, InstantSource clock) {
        TierCatalog catalog = TierCatalog.standard();
        Command command;
        try {
            command = CommandLine.parse(args, catalog);
        } catch (UsageException e) {
            err.println(CommandLine.PROGRAM + ": " + e.getMessage());
            return BAD_USAGE;
        }
        try {
            return execute(command, catalog, out, clock);
        } catch (UsageException e) {
            err.println(CommandLine.PROGRAM + ": " + e.getMessage());
            return BAD_USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(CommandLine.PROGRAM + ": interrupted");
            return FAILED;
        } catch (Exception e) {
            // Top level: whatever failed is reported in one line, with the stack trace in the log.
            LOG.debug("Command failed", e);
            err.println(CommandLine.PROGRAM + ": " + failureMessage(command, e));
            return FAILED;
        }
    }

    private static int execute(Command command, TierCatalog catalog, PrintStream out, InstantSource clock)
            throws Exception {
        if (command instanceof Command.Help) {
            out.println(CommandLine.help(catalog));
        } else if (command instanceof Command.CreateAccount) {
            AccountAdmin.createAccount((Command.CreateAccount) command, catalog, clock, out);
        } else if (command instanceof Command.SetTier) {
            AccountAdmin.setTier((Command.SetTier) command, catalog, clock, out);
        } else {
            serve(((Command.Serve) command).settings(), out, clock);
        }
        return OK;
    }

    private static void serve(ServerSettings settings, PrintStream out, InstantSource clock) throws Exception {
        ExampleApiServer server = ExampleApiServer.start(settings, clock, out);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "tierlimit-example-shutdown"));
        server.join();
    }

    private static String failureMessage(Command command, Exception e) {
        String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        if (command instanceof Command.Serve) {
            ServerSettings settings = ((Command.Serve) command).settings();
            if (isBindFailure(e)) {
                return "cannot listen on " + settings.host() + " port " + settings.port() + " (" + message
                        + "); stop what uses it or choose another port with --port";
            }
            return "the server did not start: " + message;
        }
        return message;
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }
}
