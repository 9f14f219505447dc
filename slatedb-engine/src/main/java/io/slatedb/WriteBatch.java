package io.slatedb;

import io.slatedb.util.ByteStrings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Puts, deletes and merges applied atomically by one write: every row gets the same sequence number
 * and creation time, and the batch is applied in key order.
 *
 * <p>A later put or delete of a key replaces every earlier operation on it; a merge is appended to
 * the key's operations. When the batch is written, a key's merges are folded with the put or delete
 * before them (if any) into one row, with the database's {@link MergeOperator}, as SlateDB does:
 * they must then all expire at the same time, else the write fails with kind
 * {@link ErrorKind#INVALID}. Keys compare as unsigned bytes. Keys and values are copied in, so the
 * caller may reuse its arrays.
 *
 * <p><b>Reuse.</b> A batch may be written any number of times and changed between writes: a write
 * takes a snapshot of {@link #ops()} when it is issued, so later changes (or {@link #clear()}) never
 * affect a write already issued. Writing an {@linkplain #isEmpty() empty} batch fails with kind
 * {@link ErrorKind#INVALID}.
 *
 * <p>Not thread-safe.
 */
public final class WriteBatch {
    /** The longest key, in bytes (SlateDB stores key lengths as 16-bit unsigned integers). */
    public static final int MAX_KEY_BYTES = 0xFFFF;

    /**
     * The longest value, in bytes: 2 GiB − 1 MiB. SlateDB's format allows values up to 4 GiB − 1, but
     * this engine builds each SST in one Java array (at most 2 GiB), which must also hold the key,
     * the row header and the SST's metadata.
     */
    public static final int MAX_VALUE_BYTES = (int) ((1L << 31) - (1L << 20));

    /**
     * The most bytes a row adds to its encoding besides the key and the value: the three length
     * varints at their widest (1 + 3 + 5), the sequence number (8), the flags (1) and both
     * timestamps (8 + 8).
     */
    static final int ROW_OVERHEAD_BYTES = 34;

    /** Each key's operations in the order they were added: a put or delete only ever comes first. */
    private final TreeMap<byte[], List<Op>> ops = new TreeMap<>(Arrays::compareUnsigned);
    private int size;

    /** An empty batch. */
    public WriteBatch() {
    }

    /**
     * Puts {@code value} at {@code key} with the database's default time to live.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when the key is empty or longer than
     *                          {@link #MAX_KEY_BYTES}, or the value is longer than {@link #MAX_VALUE_BYTES}
     */
    public WriteBatch put(byte[] key, byte[] value) {
        return put(key, value, PutOptions.DEFAULT);
    }

    /**
     * Puts {@code value} at {@code key} with {@code options}.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when the key is empty or longer than
     *                          {@link #MAX_KEY_BYTES}, or the value is longer than {@link #MAX_VALUE_BYTES}
     */
    public WriteBatch put(byte[] key, byte[] value, PutOptions options) {
        return add(new Op(key, OpKind.PUT, value, options));
    }

    /**
     * Deletes {@code key}.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when the key is empty or longer than
     *                          {@link #MAX_KEY_BYTES}
     */
    public WriteBatch delete(byte[] key) {
        return add(new Op(key, OpKind.DELETE, null, null));
    }

    /**
     * Merges {@code operand} into {@code key} with the database's default time to live. The database
     * must have a {@link MergeOperator}.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when the key is empty or longer than
     *                          {@link #MAX_KEY_BYTES}, or the operand is longer than {@link #MAX_VALUE_BYTES}
     */
    public WriteBatch merge(byte[] key, byte[] operand) {
        return merge(key, operand, MergeOptions.DEFAULT);
    }

    /**
     * Merges {@code operand} into {@code key} with {@code options}. The database must have a
     * {@link MergeOperator}.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when the key is empty or longer than
     *                          {@link #MAX_KEY_BYTES}, or the operand is longer than {@link #MAX_VALUE_BYTES}
     */
    public WriteBatch merge(byte[] key, byte[] operand, MergeOptions options) {
        return add(new Op(key, OpKind.MERGE, operand, options));
    }

    private WriteBatch add(Op op) {
        if (op.kind == OpKind.MERGE) {
            List<Op> keyOps = ops.get(op.key);
            if (keyOps != null) {
                keyOps.add(op);
                size++;
                return this;
            }
        }
        // A put or delete, or a key's first merge, replaces whatever the key had: one search of the tree.
        List<Op> keyOps = new ArrayList<>(1);
        keyOps.add(op);
        List<Op> replaced = ops.put(op.key, keyOps);
        if (replaced != null) {
            size -= replaced.size();
        }
        size++;
        return this;
    }

    /** Removes every operation, so the batch can be filled again. */
    public WriteBatch clear() {
        ops.clear();
        size = 0;
        return this;
    }

    /** Whether the batch holds no operation. */
    public boolean isEmpty() {
        return ops.isEmpty();
    }

    /** The number of operations: one per key, plus each merge after a key's first operation. */
    public int size() {
        return size;
    }

    /**
     * The operations in unsigned key order, a key's operations in the order they were added: an
     * immutable snapshot, unaffected by later changes.
     */
    public List<Op> ops() {
        List<Op> all = new ArrayList<>(size);
        ops.values().forEach(all::addAll);
        // The list is this call's own, so a read-only view of it is already a snapshot.
        return Collections.unmodifiableList(all);
    }

    /**
     * An upper bound of the encoded size of the batch's rows: the sum of
     * {@link Op#estimatedEncodedSize()} (block and SST framing not included).
     */
    public long estimatedEncodedSize() {
        long total = 0;
        for (List<Op> keyOps : ops.values()) {
            for (Op op : keyOps) {
                total += op.estimatedEncodedSize();
            }
        }
        return total;
    }

    @Override
    public String toString() {
        return "WriteBatch[" + size + " ops, ~" + estimatedEncodedSize() + " bytes]";
    }

    /** Rejects empty and overlong keys with kind {@link ErrorKind#INVALID}. */
    static void checkKey(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length == 0) {
            throw new SlateDbException(ErrorKind.INVALID, "key must not be empty");
        }
        if (key.length > MAX_KEY_BYTES) {
            throw new SlateDbException(ErrorKind.INVALID,
                    "key of " + key.length + " bytes is longer than the maximum of " + MAX_KEY_BYTES);
        }
    }

    /** Rejects values longer than {@link #MAX_VALUE_BYTES} with kind {@link ErrorKind#INVALID}. */
    static void checkValueLength(int length) {
        if (length > MAX_VALUE_BYTES) {
            throw new SlateDbException(ErrorKind.INVALID,
                    "value of " + length + " bytes is longer than the maximum of " + MAX_VALUE_BYTES);
        }
    }

    /** What an operation does. */
    public enum OpKind {
        /** Store a value. */
        PUT,
        /** Store a tombstone. */
        DELETE,
        /** Store a merge operand. */
        MERGE
    }

    /**
     * One operation of a batch. Immutable: the arrays are copied in and out.
     *
     * @param key     the key; 1 to {@link WriteBatch#MAX_KEY_BYTES} bytes
     * @param kind    put, delete or merge
     * @param value   the value of a put or the operand of a merge, at most
     *                {@link WriteBatch#MAX_VALUE_BYTES} bytes; {@code null} for a delete
     * @param options the {@link PutOptions} of a put or the {@link MergeOptions} of a merge;
     *                {@code null} for a delete
     */
    public record Op(byte[] key, OpKind kind, byte[] value, ValueOptions options) {

        /**
         * @throws SlateDbException of kind {@link ErrorKind#INVALID} when the key or value is too long
         *                          or the key is empty
         */
        public Op {
            checkKey(key);
            Objects.requireNonNull(kind, "kind");
            if (kind != OpKind.DELETE) {
                Objects.requireNonNull(value, "value");
                Objects.requireNonNull(options, "options");
                if ((kind == OpKind.PUT) != (options instanceof PutOptions)) {
                    throw new IllegalArgumentException("a put takes PutOptions and a merge MergeOptions");
                }
                checkValueLength(value.length);
                value = value.clone();
            } else if (value != null || options != null) {
                throw new IllegalArgumentException("a delete has no value and no options");
            }
            key = key.clone();
        }

        /** A copy of the key. */
        @Override
        public byte[] key() {
            return key.clone();
        }

        /** A copy of the value; {@code null} for a delete. */
        @Override
        public byte[] value() {
            return value == null ? null : value.clone();
        }

        /**
         * The op's own key array, for the engine within this package: the op is immutable and the
         * array never reaches callers, so the writer may keep it without another copy.
         */
        byte[] sharedKey() {
            return key;
        }

        /** The op's own value array (null for a delete); see {@link #sharedKey()}. */
        byte[] sharedValue() {
            return value;
        }

        /** The key's length in bytes. */
        public int keyLength() {
            return key.length;
        }

        /** The value's length in bytes; 0 for a delete. */
        public int valueLength() {
            return value == null ? 0 : value.length;
        }

        /**
         * The row's expiry time when its write is created at {@code createTs}: the put's
         * {@linkplain ValueOptions#expireTs time to live}, and always empty for a delete.
         */
        public OptionalLong expireTs(long createTs, OptionalLong defaultTtlMillis) {
            return kind == OpKind.DELETE ? OptionalLong.empty() : options.expireTs(createTs, defaultTtlMillis);
        }

        /**
         * An upper bound of the row's encoded size: key, value, and 34 bytes of row header (the three
         * length varints at their widest, the sequence number, the flags and both timestamps).
         */
        public long estimatedEncodedSize() {
            return (long) key.length + valueLength() + ROW_OVERHEAD_BYTES;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Op that
                    && kind == that.kind
                    && Arrays.equals(key, that.key)
                    && Arrays.equals(value, that.value)
                    && Objects.equals(options, that.options);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(key), kind, Arrays.hashCode(value), options);
        }

        @Override
        public String toString() {
            return kind == OpKind.DELETE ? "Delete[" + ByteStrings.describe(key) + "]"
                    : (kind == OpKind.PUT ? "Put[" : "Merge[") + ByteStrings.describe(key) + "=" + ByteStrings.describe(value) + ", " + options.ttl() + "]";
        }
    }
}
