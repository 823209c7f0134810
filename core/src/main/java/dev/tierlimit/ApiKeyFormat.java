package dev.tierlimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The shape of a raw API key: {@code tlk_<environment>_<body><checksum>}, for example
 * {@code tlk_live_} followed by 36 base62 characters.
 *
 * <ul>
 *   <li>The readable prefix names the library and the environment ({@code live}, {@code test}), so a
 *       leaked key is recognizable by secret scanners and people.
 *   <li>The body is {@value #BODY_LENGTH} base62 characters from a {@code SecureRandom}: about 178
 *       bits. Its first {@value #DISPLAY_PREFIX_LENGTH} characters are stored in clear for display,
 *       which leaves about 131 secret bits.
 *   <li>The checksum is the CRC32 of everything before it, as {@value #CHECKSUM_LENGTH} base62
 *       characters, so a typo or a random string is rejected without a store lookup.
 * </ul>
 *
 * <p>Keys are stored as the SHA-256 of the whole raw key. All methods are static and thread-safe.
 */
public final class ApiKeyFormat {

    /** The library part of every key's prefix. */
    public static final String LIBRARY_PREFIX = "tlk";

    /** Number of random base62 characters in a key. */
    public static final int BODY_LENGTH = 30;

    /** Number of base62 checksum characters at the end of a key. */
    public static final int CHECKSUM_LENGTH = 6;

    /** Number of characters of the body kept in clear for display. */
    public static final int DISPLAY_PREFIX_LENGTH = 8;

    /** Maximum length of a raw key that is examined; a longer value is malformed without further work. */
    public static final int MAX_LENGTH = 128;

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final Pattern ENVIRONMENT = Pattern.compile("[a-z][a-z0-9]{0,15}");
    private static final Pattern SHAPE = Pattern.compile(
            "tlk_[a-z][a-z0-9]{0,15}_[0-9A-Za-z]{" + (BODY_LENGTH + CHECKSUM_LENGTH) + "}");

    private ApiKeyFormat() {
    }

    /**
     * Generates a raw key for {@code environment}.
     *
     * @param environment a lower-case token such as {@code live} or {@code test}
     * @param random the source of the body's characters; a {@code SecureRandom} outside tests
     * @throws IllegalArgumentException if the environment is not a lower-case token of at most 16 characters
     */
    public static String generate(String environment, RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        requireValidEnvironment(environment);
        StringBuilder key = new StringBuilder(LIBRARY_PREFIX).append('_').append(environment).append('_');
        for (int i = 0; i < BODY_LENGTH; i++) {
            key.append(BASE62.charAt(random.nextInt(BASE62.length())));
        }
        return key.append(checksum(key)).toString();
    }

    /**
     * Checks that {@code environment} can name a key's environment.
     *
     * @throws IllegalArgumentException if it is not a lower-case token of at most 16 characters
     */
    public static void requireValidEnvironment(String environment) {
        if (environment == null || !ENVIRONMENT.matcher(environment).matches()) {
            throw new IllegalArgumentException("key environment must be a lower-case token of at most 16 characters,"
                    + " such as \"live\" or \"test\": \"" + environment + "\"");
        }
    }

    /** Returns whether {@code raw} has the shape of a key and a matching checksum. Null is not well-formed. */
    public static boolean isWellFormed(String raw) {
        if (raw == null || raw.length() > MAX_LENGTH || !SHAPE.matcher(raw).matches()) {
            return false;
        }
        int split = raw.length() - CHECKSUM_LENGTH;
        return checksum(raw.substring(0, split)).equals(raw.substring(split));
    }

    /**
     * Returns the display prefix of a well-formed key: the first {@value #DISPLAY_PREFIX_LENGTH}
     * characters of its body.
     *
     * @throws IllegalArgumentException if {@code raw} is not well-formed
     */
    public static String displayPrefix(String raw) {
        if (!isWellFormed(raw)) {
            throw new IllegalArgumentException("not a well-formed API key (value withheld)");
        }
        int bodyStart = raw.lastIndexOf('_') + 1;
        return raw.substring(bodyStart, bodyStart + DISPLAY_PREFIX_LENGTH);
    }

    /**
     * Returns a form of {@code raw} that is safe to log: the readable prefix and display prefix
     * followed by {@code ...} for a well-formed key, {@code ***} for anything else.
     */
    public static String redact(String raw) {
        if (!isWellFormed(raw)) {
            return "***";
        }
        int bodyStart = raw.lastIndexOf('_') + 1;
        return raw.substring(0, bodyStart + DISPLAY_PREFIX_LENGTH) + "...";
    }

    /** Returns the SHA-256 hash of the raw key's UTF-8 bytes. */
    public static byte[] sha256(String raw) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /** Returns the SHA-256 hash of the raw key as 64 lower-case hex digits, the form stores keep. */
    public static String sha256Hex(String raw) {
        return HexFormat.of().formatHex(sha256(raw));
    }

    private static String checksum(CharSequence text) {
        CRC32 crc = new CRC32();
        crc.update(text.toString().getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] digits = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            digits[i] = BASE62.charAt((int) (value % 62));
            value /= 62;
        }
        return new String(digits);
    }
}
