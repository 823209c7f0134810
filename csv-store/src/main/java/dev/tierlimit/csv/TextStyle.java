package dev.tierlimit.csv;

/**
 * The layout of a file's text: whether it starts with a UTF-8 byte-order mark, and the line
 * separator that ends its records. A rewritten file keeps the style it was read with.
 */
record TextStyle(boolean byteOrderMark, String lineSeparator) {

    /** The style of files the store creates: no byte-order mark, LF line endings. */
    static final TextStyle DEFAULT = new TextStyle(false, "\n");

    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** Detects the style of a file's bytes from its start and its first line break. */
    static TextStyle detect(byte[] bytes) {
        boolean bom = bytes.length >= 3 && bytes[0] == UTF8_BOM[0] && bytes[1] == UTF8_BOM[1] && bytes[2] == UTF8_BOM[2];
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                boolean crlf = i > 0 && bytes[i - 1] == '\r';
                return new TextStyle(bom, crlf ? "\r\n" : "\n");
            }
        }
        return new TextStyle(bom, DEFAULT.lineSeparator);
    }

    /** Returns the byte-order mark to write first: three bytes, or none. */
    byte[] prefix() {
        return byteOrderMark ? UTF8_BOM.clone() : new byte[0];
    }
}
