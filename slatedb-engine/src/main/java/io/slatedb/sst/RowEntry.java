package io.slatedb.sst;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One version of one key as SSTs store it: the key, what the version is (value, tombstone or merge
 * operand), its sequence number and its optional creation and expiry times.
 *
 * <p>The byte arrays are not copied: a row takes ownership of the arrays it is given, and callers
 * must not change an array after handing it over or after reading it from a row.
 *
 * @param key      the key; compared as unsigned bytes
 * @param kind     what the row stores
 * @param value    the value or merge operand; null exactly for tombstones
 * @param seq      the sequence number, an unsigned 64-bit integer held in a long (compare with
 *                 {@link Long#compareUnsigned})
 * @param createTs when the version was written (ms since the epoch), if recorded
 * @param expireTs when the version expires (ms since the epoch), if it has a time to live
 */
public record RowEntry(byte[] key, ValueKind kind, byte[] value, long seq, OptionalLong createTs,
                       OptionalLong expireTs) {

    /** Order of compacted SSTs and memtables: key ascending, then sequence number descending. */
    public static final Comparator<RowEntry> KEY_ASC_SEQ_DESC = (a, b) -> {
        int byKey = Arrays.compareUnsigned(a.key, b.key);
        return byKey != 0 ? byKey : Long.compareUnsigned(b.seq, a.seq);
    };

    public RowEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(createTs, "createTs");
        Objects.requireNonNull(expireTs, "expireTs");
        if ((kind == ValueKind.TOMBSTONE) != (value == null)) {
            throw new IllegalArgumentException("a row has a value exactly when it is not a tombstone");
        }
    }

    /** A put of {@code value} at {@code seq} without timestamps. */
    public static RowEntry value(byte[] key, byte[] value, long seq) {
        return new RowEntry(key, ValueKind.VALUE, Objects.requireNonNull(value, "value"), seq, OptionalLong.empty(),
                OptionalLong.empty());
    }

    /** A delete at {@code seq} without timestamps. */
    public static RowEntry tombstone(byte[] key, long seq) {
        return new RowEntry(key, ValueKind.TOMBSTONE, null, seq, OptionalLong.empty(), OptionalLong.empty());
    }

    /** A merge operand at {@code seq} without timestamps. */
    public static RowEntry mergeOperand(byte[] key, byte[] operand, long seq) {
        return new RowEntry(key, ValueKind.MERGE_OPERAND, Objects.requireNonNull(operand, "operand"), seq,
                OptionalLong.empty(), OptionalLong.empty());
    }

    /**
     * This row, or a tombstone in its place (same key, sequence number and create time, no expire time)
     * when its expire time is at or before {@code now}: how flushes and compactions
     * write expired rows, so that they cannot revive an older version below them.
     */
    public RowEntry expiredAsTombstone(long now) {
        if (expireTs.isEmpty() || expireTs.getAsLong() > now) {
            return this;
        }
        return new RowEntry(key, ValueKind.TOMBSTONE, null, seq, createTs, OptionalLong.empty());
    }

    /** This row with its creation time set. */
    public RowEntry withCreateTs(long createTimeMillis) {
        return new RowEntry(key, kind, value, seq, OptionalLong.of(createTimeMillis), expireTs);
    }

    /** This row with its expiry time set. */
    public RowEntry withExpireTs(long expireTimeMillis) {
        return new RowEntry(key, kind, value, seq, createTs, OptionalLong.of(expireTimeMillis));
    }

    /** Whether this row is a delete. */
    public boolean isTombstone() {
        return kind == ValueKind.TOMBSTONE;
    }

    /** The length of the value, 0 for tombstones. */
    public int valueLength() {
        return value == null ? 0 : value.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowEntry other && seq == other.seq && kind == other.kind
                && Arrays.equals(key, other.key) && Arrays.equals(value, other.value)
                && createTs.equals(other.createTs) && expireTs.equals(other.expireTs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(key), kind, Arrays.hashCode(value), seq, createTs, expireTs);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "RowEntry[key=" + hex.formatHex(key) + ", " + kind
                + (value == null ? "" : ", value=" + (value.length <= 32 ? hex.formatHex(value) : value.length + " bytes"))
                + ", seq=" + Long.toUnsignedString(seq)
                + (createTs.isPresent() ? ", createTs=" + createTs.getAsLong() : "")
                + (expireTs.isPresent() ? ", expireTs=" + expireTs.getAsLong() : "") + "]";
    }
}
