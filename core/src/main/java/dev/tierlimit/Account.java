package dev.tierlimit;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A paying customer: an account with an email address and the id of its tier. Immutable and thread-safe.
 *
 * @param id identifier of letters, digits, {@code _} and {@code -}, at most 64 characters
 * @param email contact address: contains {@code @}, no line breaks, at most 320 characters
 * @param tierId the id of the account's tier in the service's {@link TierCatalog}
 * @param createdAt when the account was created
 */
public record Account(String id, String email, String tierId, Instant createdAt) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /**
     * Validates the components.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the id or the email is invalid
     */
    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(tierId, "tierId");
        Objects.requireNonNull(createdAt, "createdAt");
        requireValidId(id);
        requireValidEmail(email);
    }

    /**
     * Checks that {@code email} can be an account's email.
     *
     * @throws IllegalArgumentException if it is null, lacks {@code @}, has a line break or exceeds 320 characters
     */
    public static void requireValidEmail(String email) {
        if (email == null || email.length() > 320 || email.indexOf('@') < 0 || email.indexOf('\n') >= 0
                || email.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("account email must contain '@', have no line breaks and be at most"
                    + " 320 characters: \"" + email + "\"");
        }
    }

    /**
     * Checks that {@code id} can be an account id.
     *
     * @throws IllegalArgumentException if it is not 1 to 64 letters, digits, {@code _} or {@code -}
     */
    public static void requireValidId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("account id must be 1 to 64 letters, digits, '_' or '-': \"" + id + "\"");
        }
    }

    /** Returns a copy on tier {@code tierId}. */
    public Account withTierId(String tierId) {
        return new Account(id, email, tierId, createdAt);
    }
}
