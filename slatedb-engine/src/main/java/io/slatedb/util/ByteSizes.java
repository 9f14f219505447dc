package io.slatedb.util;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes as settings take them: a plain number of bytes ({@code 67108864}) or a number with a
 * binary (IEC) unit, optionally separated by spaces: {@code B}, {@code KiB} (1024), {@code MiB}
 * (1024²), {@code GiB} (1024³) or {@code TiB} (1024⁴), in any letter case ({@code 64MiB},
 * {@code 1 GiB}, {@code 4kib}). Decimal units such as {@code MB} are rejected, so that no size is
 * silently off by the 1000/1024 ambiguity. Fractions and negative sizes are not accepted.
 */
public final class ByteSizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([a-z]*)");

    private ByteSizes() {
    }

    /**
     * Parses a size; a bad string is an {@link IllegalArgumentException} saying what is wrong with it.
     */
    public static long parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty size: expected e.g. 67108864 or 64MiB");
        }
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid size '" + text + "': expected e.g. 67108864 or 64MiB");
        }
        long multiplier = switch (m.group(2)) {
            case "", "b" -> 1L;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            case "tib" -> 1L << 40;
            default -> throw new IllegalArgumentException("invalid size '" + text + "': unknown unit '"
                    + m.group(2) + "' (use B, KiB, MiB, GiB or TiB)");
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), multiplier);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("invalid size '" + text + "': too large", e);
        }
    }

    /**
     * Formats a size for people: the largest binary unit that divides it exactly ({@code 64MiB},
     * {@code 1GiB}), otherwise the number of bytes. {@link #parse} reads the result back.
     */
    public static String format(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size: " + bytes);
        }
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes != 0 && bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return Long.toString(bytes);
    }
}
