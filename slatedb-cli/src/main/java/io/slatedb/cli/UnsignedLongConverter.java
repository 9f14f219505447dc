package io.slatedb.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads an unsigned 64-bit decimal (0 to 18446744073709551615) into a {@code long}. */
final class UnsignedLongConverter implements ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new TypeConversionException("'" + value + "' is not an unsigned integer");
        }
        try {
            return Long.parseUnsignedLong(value);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is larger than 18446744073709551615");
        }
    }
}
