package io.slatedb.manifest;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A segment of a segmented database (RFC-0024): a separate LSM tree holding the keys that start with
 * its prefix. Only version-2 manifests have segments.
 */
public record Segment(byte[] prefix, LsmTree tree) {

    public Segment {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(tree, "tree");
        prefix = prefix.clone();
    }

    /** A copy of the key prefix. */
    @Override
    public byte[] prefix() {
        return prefix.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Segment other && Arrays.equals(prefix, other.prefix) && tree.equals(other.tree);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(prefix) + tree.hashCode();
    }

    @Override
    public String toString() {
        return "Segment[prefix=" + HexFormat.of().formatHex(prefix) + ", tree=" + tree + "]";
    }
}
