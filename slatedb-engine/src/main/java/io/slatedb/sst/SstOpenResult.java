package io.slatedb.sst;

/**
 * What opening an SST object found: an SST, or an object too small to hold one (at most the 10
 * footer bytes, e.g. a zero-byte WAL fence), which WAL readers treat as an empty WAL file.
 */
public sealed interface SstOpenResult {

    /** The object holds an SST. */
    record Opened(SstReader reader) implements SstOpenResult {
    }

    /** The object is too small to be an SST. */
    record Empty(String path, long size) implements SstOpenResult {
    }
}
