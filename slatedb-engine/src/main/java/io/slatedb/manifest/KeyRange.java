package io.slatedb.manifest;

import java.util.Objects;

/**
 * A range of keys between two bounds. In the manifest it is an SST view's visible range: only the
 * SST's keys inside it are visible (projected and unioned clones restrict SSTs this way).
 */
public record KeyRange(KeyBound start, KeyBound end) {

    private static final KeyRange ALL = new KeyRange(KeyBound.unbounded(), KeyBound.unbounded());

    public KeyRange {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
    }

    /** The range of every key. */
    public static KeyRange all() {
        return ALL;
    }
}
