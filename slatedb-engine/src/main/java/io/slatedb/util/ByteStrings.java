package io.slatedb.util;

import java.util.HexFormat;

/**
 * Renders keys and values for messages and {@code toString}: printable ASCII as a quoted string
 * ({@code "user:42"}, with {@code "} and {@code \} escaped), anything else as hex ({@code 0x00ff}).
 * Long arrays are cut after {@value #MAX_SHOWN} bytes and end with their total length.
 */
public final class ByteStrings {
    /** The most bytes shown of one array. */
    public static final int MAX_SHOWN = 64;

    private ByteStrings() {
    }

    /** The display form of {@code bytes}; {@code null} for a null array. */
    public static String describe(byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        int shown = Math.min(bytes.length, MAX_SHOWN);
        StringBuilder out = new StringBuilder(shown * 2 + 16);
        if (isPrintable(bytes, shown)) {
            out.append('"');
            for (int i = 0; i < shown; i++) {
                char c = (char) bytes[i];
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append(c);
            }
            out.append('"');
        } else {
            out.append("0x").append(HexFormat.of().formatHex(bytes, 0, shown));
        }
        if (shown < bytes.length) {
            out.append("...(").append(bytes.length).append(" bytes)");
        }
        return out.toString();
    }

    private static boolean isPrintable(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] < 0x20 || bytes[i] > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
