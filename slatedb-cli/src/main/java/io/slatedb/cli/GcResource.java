package io.slatedb.cli;

import io.slatedb.GarbageCollectorTask;
import io.slatedb.GarbageCollectorDirectoryOptions;
import io.slatedb.GarbageCollectorOptions;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/** A kind of object {@code slatedb gc run --resource} names, with the collector task that deletes it. */
enum GcResource {
    MANIFEST(GarbageCollectorTask.MANIFEST, GarbageCollectorOptions.Builder::manifestOptions),
    WAL(GarbageCollectorTask.WAL, GarbageCollectorOptions.Builder::walOptions),
    WAL_FENCE(GarbageCollectorTask.WAL_FENCE, GarbageCollectorOptions.Builder::walFenceOptions),
    COMPACTED(GarbageCollectorTask.COMPACTED, GarbageCollectorOptions.Builder::compactedOptions),
    COMPACTIONS(GarbageCollectorTask.COMPACTIONS, GarbageCollectorOptions.Builder::compactionsOptions);

    private final GarbageCollectorTask task;
    private final BiConsumer<GarbageCollectorOptions.Builder, GarbageCollectorDirectoryOptions> setter;

    GcResource(GarbageCollectorTask task,
               BiConsumer<GarbageCollectorOptions.Builder, GarbageCollectorDirectoryOptions> setter) {
        this.task = task;
        this.setter = setter;
    }

    /** The name on the command line, e.g. {@code wal-fence}. */
    String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    GarbageCollectorTask task() {
        return task;
    }

    /** Sets this resource's task options in {@code builder} ({@code null} disables the task). */
    void set(GarbageCollectorOptions.Builder builder, GarbageCollectorDirectoryOptions options) {
        setter.accept(builder, options);
    }

    /** The command-line name of {@code task}, which also names tasks that are no resource (detach). */
    static String cliName(GarbageCollectorTask task) {
        return task.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Reads a resource by its command-line name. */
    static final class Converter implements ITypeConverter<GcResource> {
        @Override
        public GcResource convert(String value) {
            for (GcResource resource : values()) {
                if (resource.cliName().equals(value.toLowerCase(Locale.ROOT))) {
                    return resource;
                }
            }
            throw new TypeConversionException("unknown resource '" + value + "': choose one of "
                    + Arrays.stream(values()).map(GcResource::cliName).collect(Collectors.joining(", ")));
        }
    }
}
