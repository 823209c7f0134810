package dev.tierlimit;

/**
 * Thrown by a storage SPI implementation ({@link AccountStore}, {@link ApiKeyStore},
 * {@link UsageStore}) when the underlying storage failed, for example a disk write error. Callers
 * must not treat the request as authenticated or stored; the servlet filter responds with 503.
 */
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming the store and what failed. */
    public StoreException(String message) {
        super(message);
    }

    /** Creates the exception with a message naming the store and what failed, and the cause. */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
