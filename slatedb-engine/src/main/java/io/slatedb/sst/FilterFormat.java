package io.slatedb.sst;

/** How an SST's filter block is laid out. */
public enum FilterFormat {
    /** The filter block is one raw bloom filter. */
    LEGACY,
    /** The filter block is a list of named filters. */
    COMPOSITE
}
