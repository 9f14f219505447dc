package io.slatedb.compaction;

import io.slatedb.CompactorOptions;
import io.slatedb.manifest.Manifest;
import io.slatedb.sst.SstWriterOptions;
import io.slatedb.store.ObjectStore;

import java.time.Clock;
import java.util.function.Consumer;

/**
 * The compactor a writer runs in its own process: started when the writer opens, with the writer's
 * store, clock and {@code compactor_options}, stopped when it closes. Does nothing when the options
 * are {@code null}. Each commit is reported to the writer, so that it adopts the smaller L0 at once
 * rather than at its next manifest poll.
 */
public final class EmbeddedCompactor implements AutoCloseable {
    private static final EmbeddedCompactor NONE = new EmbeddedCompactor(null);

    private final CompactorCore core;

    private EmbeddedCompactor(CompactorCore core) {
        this.core = core;
    }

    /** Starts the compactor of the database at {@code path}, or nothing when {@code options} is null. */
    public static EmbeddedCompactor start(String path, ObjectStore store, CompactorOptions options,
                                          SstWriterOptions sstOptions, Clock clock, Consumer<Manifest> committed) {
        if (options == null) {
            return NONE;
        }
        CompactorCore core = CompactorCore.open(path, store, options, sstOptions, clock, committed::accept);
        core.start();
        return new EmbeddedCompactor(core);
    }

    /** The running compactor, or null when none runs. */
    public CompactorCore core() {
        return core;
    }

    /** Stops the compactor. Idempotent. */
    @Override
    public void close() {
        if (core != null) {
            core.close();
        }
    }
}
