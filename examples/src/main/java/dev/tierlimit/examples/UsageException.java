package dev.tierlimit.examples;

/** An invalid command line; the message is one line that names the option and the value. */
final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message, null, false, false);
    }
}
