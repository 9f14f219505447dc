package io.slatedb.sst;

/** What a row stores for its key at its sequence number. */
public enum ValueKind {
    /** A put: the row carries the value. */
    VALUE,
    /** A delete: the row carries no value. */
    TOMBSTONE,
    /** A merge operand, to be combined with older versions by the merge operator. */
    MERGE_OPERAND
}
