package io.slatedb;

import io.slatedb.util.ByteSizes;
import io.slatedb.util.Durations;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * How one kind of setting is written as text in a settings map, and read back: {@link #format}
 * output always parses to an equal value.
 *
 * @param <T> the setting's Java type
 */
interface SettingSyntax<T> {

    /** A duration such as {@code 100ms}, {@code 5m} or {@code 7days 30min}; see {@link Durations}. */
    SettingSyntax<Duration> DURATION = of(SettingType.DURATION, "expected a duration such as 100ms", Durations::parse, Durations::format);

    /** A byte count such as {@code 67108864} or {@code 64MiB}; see {@link ByteSizes}. */
    SettingSyntax<Long> BYTES = of(SettingType.BYTES, "expected a size in bytes such as 67108864 or 64MiB", ByteSizes::parse,
            String::valueOf);

    /** A byte count that fits an int. */
    SettingSyntax<Integer> INT_BYTES = of(SettingType.BYTES, "expected a size in bytes such as 4096 or 4KiB",
            text -> Math.toIntExact(ByteSizes.parse(text)), String::valueOf);

    /** A decimal integer. */
    SettingSyntax<Integer> INT = of(SettingType.INT, "expected an integer", text -> Integer.parseInt(text.trim()), String::valueOf);

    /** A decimal integer of 64 bits. */
    SettingSyntax<Long> LONG = of(SettingType.LONG, "expected an integer", text -> Long.parseLong(text.trim()), String::valueOf);

    /** A decimal number such as {@code 4.0}. */
    SettingSyntax<Double> DOUBLE = of(SettingType.DOUBLE, "expected a number such as 4.0", text -> Double.parseDouble(text.trim()),
            String::valueOf);

    /** {@code true} or {@code false}, in any letter case. */
    SettingSyntax<Boolean> BOOLEAN = of(SettingType.BOOLEAN, "expected true or false", SettingSyntax::parseBoolean, String::valueOf);

    /**
     * A compression codec: {@code none} (or empty), {@code snappy}, {@code zlib}, {@code lz4} or
     * {@code zstd}, in any letter case.
     */
    SettingSyntax<CompressionCodec> CODEC = choice(
            Arrays.stream(CompressionCodec.values()).map(codec -> codec.name().toLowerCase(Locale.ROOT)).toList(),
            text -> isNone(text) ? CompressionCodec.NONE : CompressionCodec.valueOf(text.trim().toUpperCase(Locale.ROOT)),
            codec -> codec.name().toLowerCase(Locale.ROOT));

    /** The word that writes an absent optional value (also accepted: the empty string). */
    String NONE = "none";

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException with what was expected, when {@code text} does not parse
     */
    T parse(String text);

    /** Writes {@code value}; {@code null} only for {@linkplain #optional() optional} syntaxes. */
    String format(T value);

    /** The kind of value, for {@link SettingDescriptor#type()}. */
    SettingType type();

    /** The accepted words of a {@link SettingType#CHOICE} syntax; otherwise empty. */
    default List<String> choices() {
        return List.of();
    }

    /** Whether {@code none} parses (as {@code null}): true for {@linkplain #optional() optional} syntaxes. */
    default boolean acceptsNone() {
        return false;
    }

    /** This syntax, or {@code none}/empty for an absent value (read as {@code null}). */
    default SettingSyntax<T> optional() {
        SettingSyntax<T> present = this;
        return new SettingSyntax<>() {
            @Override
            public T parse(String text) {
                if (isNone(text)) {
                    return null;
                }
                try {
                    return present.parse(text);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(e.getMessage() + ", or none", e);
                }
            }

            @Override
            public String format(T value) {
                return value == null ? NONE : present.format(value);
            }

            @Override
            public SettingType type() {
                return present.type();
            }

            @Override
            public List<String> choices() {
                return present.choices();
            }

            @Override
            public boolean acceptsNone() {
                return true;
            }
        };
    }

    /** Whether {@code text} writes an absent value. */
    static boolean isNone(String text) {
        return text.isBlank() || text.trim().equalsIgnoreCase(NONE);
    }

    /** A syntax of one word out of {@code words}, in any letter case. */
    private static <T> SettingSyntax<T> choice(List<String> words, Function<String, T> parser,
                                               Function<T, String> formatter) {
        SettingSyntax<T> plain = of(SettingType.CHOICE, "expected one of " + String.join(", ", words), parser,
                formatter);
        return new SettingSyntax<>() {
            @Override
            public T parse(String text) {
                return plain.parse(text);
            }

            @Override
            public String format(T value) {
                return plain.format(value);
            }

            @Override
            public SettingType type() {
                return SettingType.CHOICE;
            }

            @Override
            public List<String> choices() {
                return words;
            }
        };
    }

    private static <T> SettingSyntax<T> of(SettingType type, String expected, Function<String, T> parser,
                                           Function<T, String> formatter) {
        return new SettingSyntax<>() {
            @Override
            public SettingType type() {
                return type;
            }

            @Override
            public T parse(String text) {
                try {
                    return parser.apply(text);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(expected, e);
                }
            }

            @Override
            public String format(T value) {
                return formatter.apply(value);
            }
        };
    }

    private static boolean parseBoolean(String text) {
        String word = text.trim().toLowerCase(Locale.ROOT);
        return switch (word) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(word);
        };
    }
}
