package dev.tierlimit;

/**
 * Thrown by a {@link SlidingWindowLimiter} whose backend (for example Redis) failed or did not
 * answer in time. No decision was made: the request was neither counted nor rejected. Callers choose
 * whether to fail closed (reject with 503) or fail open (admit without counting).
 */
public class LimiterUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming the backend and what failed, and the cause. */
    public LimiterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
