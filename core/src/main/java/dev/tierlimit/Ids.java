package dev.tierlimit;

import java.util.random.RandomGenerator;

/** Random public identifiers such as {@code acct_...} and {@code key_...}: 16 base62 characters, about 95 bits. */
final class Ids {

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int LENGTH = 16;

    private Ids() {
    }

    static String random(String prefix, RandomGenerator random) {
        StringBuilder id = new StringBuilder(prefix.length() + LENGTH).append(prefix);
        for (int i = 0; i < LENGTH; i++) {
            id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
