package io.slatedb;

import io.slatedb.util.ByteStrings;

import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A key with its current value and the metadata of the version it comes from, as reads that ask
 * for metadata and iterators return it. Immutable: the arrays are copied in and out, so each accessor
 * call returns a copy of its own.
 *
 * <p>Reads do not hide expired versions (SlateDB only drops them at compaction); callers that need
 * a strict time to live compare {@link #expireTs()} with their clock.
 */
public final class KeyValue {
    private final byte[] key;
    private final byte[] value;
    private final long seq;
    private final long createTs;
    private final OptionalLong expireTs;

    /**
     * Copies the key and value arrays.
     *
     * @param key      the key
     * @param value    the value
     * @param seq      the sequence number of the write that stored this version, an unsigned 64-bit
     *                 integer held in a long (compare with {@link Long#compareUnsigned})
     * @param createTs when the version was written, in milliseconds since the epoch by the writer's
     *                 clock
     * @param expireTs when the version expires, in milliseconds since the epoch; empty when it never
     *                 expires
     */
    public KeyValue(byte[] key, byte[] value, long seq, long createTs, OptionalLong expireTs) {
        this(seq, createTs, expireTs, Objects.requireNonNull(key, "key").clone(),
                Objects.requireNonNull(value, "value").clone());
    }

    /** Takes the arrays as they are. */
    private KeyValue(long seq, long createTs, OptionalLong expireTs, byte[] key, byte[] value) {
        this.key = Objects.requireNonNull(key, "key");
        this.value = Objects.requireNonNull(value, "value");
        this.seq = seq;
        this.createTs = createTs;
        this.expireTs = Objects.requireNonNull(expireTs, "expireTs");
    }

    /**
     * A key-value that takes {@code key} and {@code value} as they are, for the read path, whose arrays
     * are already its own (copied once out of a memtable or block): copying them in again would be a
     * second copy of each.
     */
    static KeyValue ofOwned(byte[] key, byte[] value, long seq, long createTs, OptionalLong expireTs) {
        return new KeyValue(seq, createTs, expireTs, key, value);
    }

    /** A copy of the key. */
    public byte[] key() {
        return key.clone();
    }

    /** A copy of the value. */
    public byte[] value() {
        return value.clone();
    }

    /**
     * The sequence number of the write that stored this version, an unsigned 64-bit integer held in a
     * long (compare with {@link Long#compareUnsigned}).
     */
    public long seq() {
        return seq;
    }

    /** When the version was written, in milliseconds since the epoch by the writer's clock. */
    public long createTs() {
        return createTs;
    }

    /** When the version expires, in milliseconds since the epoch; empty when it never expires. */
    public OptionalLong expireTs() {
        return expireTs;
    }

    /** Equal when keys and values have equal bytes and the metadata is equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof KeyValue that
                && seq == that.seq
                && createTs == that.createTs
                && Arrays.equals(key, that.key)
                && Arrays.equals(value, that.value)
                && expireTs.equals(that.expireTs);
    }

    @Override
    public int hashCode() {
        int hash = Arrays.hashCode(key);
        hash = 31 * hash + Arrays.hashCode(value);
        hash = 31 * hash + Long.hashCode(seq);
        hash = 31 * hash + Long.hashCode(createTs);
        return 31 * hash + expireTs.hashCode();
    }

    /** The key and value as text when printable, otherwise as hex, with the metadata. */
    @Override
    public String toString() {
        return "KeyValue[key=" + ByteStrings.describe(key) + ", value=" + ByteStrings.describe(value)
                + ", seq=" + Long.toUnsignedString(seq) + ", createTs=" + createTs
                + ", expireTs=" + (expireTs.isPresent() ? String.valueOf(expireTs.getAsLong()) : "none") + "]";
    }
}
