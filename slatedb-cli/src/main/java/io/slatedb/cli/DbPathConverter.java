package io.slatedb.cli;

import io.slatedb.DbPaths;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a database path ({@code --path}, {@code --source}) under the engine's one rule for them
 * ({@link DbPaths#problem}), so that a bad path is a usage error before any store is opened.
 */
final class DbPathConverter implements ITypeConverter<String> {

    @Override
    public String convert(String value) {
        DbPaths.problem(value).ifPresent(problem -> {
            throw new TypeConversionException(problem);
        });
        return value;
    }
}
