package io.slatedb.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** Reads a UUID in its canonical 8-4-4-4-12 hex form (either case). */
final class UuidConverter implements ITypeConverter<UUID> {
    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @Override
    public UUID convert(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (!CANONICAL.matcher(lower).matches()) {
            throw new TypeConversionException("'" + value + "' is not a UUID (expected e.g. "
                    + "01234567-89ab-cdef-0123-456789abcdef)");
        }
        return UUID.fromString(lower);
    }
}
