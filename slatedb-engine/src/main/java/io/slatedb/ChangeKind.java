package io.slatedb;

/** What a {@link ChangeRow} does to its key. */
public enum ChangeKind {
    /** The key was set to {@link ChangeRow#value()}. */
    PUT,
    /** The key was deleted (a tombstone); the row has no value. */
    DELETE,
    /**
     * A merge operand for the key, passed through raw in {@link ChangeRow#value()}: a consumer applies the
     * merge operator itself.
     */
    MERGE
}
