package io.slatedb;

import io.slatedb.sst.RowEntry;
import io.slatedb.util.ByteStrings;

import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One write of one key as it is stored: as the WAL holds it ({@link WalChangeFeed}), or as the newest
 * row of its key ({@link DbReaderSnapshot#scanChangesSince}). All rows of one write batch share a
 * sequence number and, in the WAL, sit in the same file; use (WAL id, sequence number) to find batch
 * boundaries. Values that expire produce no later row: expiry is not a change. Immutable: the arrays
 * are copied in and out.
 *
 * @param key      the key
 * @param kind     a put, a delete or a merge operand
 * @param value    the value or merge operand; null for a delete
 * @param seq      the write's sequence number (unsigned)
 * @param createTs when the write was made, in milliseconds since the epoch by the writer's clock; empty
 *                 for rows written without one
 * @param expireTs when the value expires, in milliseconds since the epoch; empty when never
 */
public record ChangeRow(byte[] key, ChangeKind kind, byte[] value, long seq, OptionalLong createTs,
                        OptionalLong expireTs) {

    /** Copies the arrays; a delete has no value and the others have one. */
    public ChangeRow {
        key = Objects.requireNonNull(key, "key").clone();
        Objects.requireNonNull(kind, "kind");
        if ((kind == ChangeKind.DELETE) != (value == null)) {
            throw new IllegalArgumentException("a delete has no value, a put or merge has one");
        }
        value = value == null ? null : value.clone();
        Objects.requireNonNull(createTs, "createTs");
        Objects.requireNonNull(expireTs, "expireTs");
    }

    /** The change a stored row makes. */
    static ChangeRow of(RowEntry row) {
        ChangeKind kind = switch (row.kind()) {
            case VALUE -> ChangeKind.PUT;
            case TOMBSTONE -> ChangeKind.DELETE;
            case MERGE_OPERAND -> ChangeKind.MERGE;
        };
        return new ChangeRow(row.key(), kind, kind == ChangeKind.DELETE ? null : row.value(), row.seq(),
                row.createTs(), row.expireTs());
    }

    /** A copy of the key. */
    @Override
    public byte[] key() {
        return key.clone();
    }

    /** A copy of the value, or null for a delete. */
    @Override
    public byte[] value() {
        return value == null ? null : value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChangeRow other && Arrays.equals(key, other.key) && kind == other.kind
                && Arrays.equals(value, other.value) && seq == other.seq && createTs.equals(other.createTs)
                && expireTs.equals(other.expireTs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(key), kind, Arrays.hashCode(value), seq, createTs, expireTs);
    }

    @Override
    public String toString() {
        return "ChangeRow[" + ByteStrings.describe(key) + " " + kind + (value == null ? "" : " " + ByteStrings.describe(value))
                + " seq=" + Long.toUnsignedString(seq) + "]";
    }
}
