package io.slatedb.cli;

import java.util.Locale;

/**
 * Where the reads of {@code bench readrandom} (and {@code scan}) are served from, and so how the
 * database is arranged after loading it.
 */
public enum ReadSource {
    /** The data stays in the memtable: sized to hold it all, never flushed. */
    MEMTABLE,
    /** The data is flushed to SSTs, the database reopened, and its blocks read once into the block cache. */
    CACHE,
    /** The data is flushed to SSTs and the database reopened with no block cache: every read fetches a block. */
    STORE;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
