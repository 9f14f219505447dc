package io.slatedb.db;

import io.slatedb.ValueOptions;
import io.slatedb.sst.ValueKind;

import java.util.OptionalLong;

/**
 * One operation of a write, as the writer applies it. The arrays are the engine's own (the public
 * {@link io.slatedb.WriteBatch.Op} copied them from the caller), so the writer stores them in the WAL
 * buffer and the memtable without copying them again.
 *
 * @param key     the key
 * @param kind    what the row stores: a value (put), a tombstone (delete) or a merge operand
 * @param value   the value of a put or the operand of a merge; null for a delete
 * @param options the put's or merge's options; null for a delete
 */
public record WriteOp(byte[] key, ValueKind kind, byte[] value, ValueOptions options) {

    /** Whether this is a put. */
    public boolean isPut() {
        return kind == ValueKind.VALUE;
    }

    /** Whether this is a merge. */
    public boolean isMerge() {
        return kind == ValueKind.MERGE_OPERAND;
    }

    /** The key and value bytes the write adds. */
    long bytes() {
        return (long) key.length + (value == null ? 0 : value.length);
    }

    /** The row's expiry time when written at {@code createTs}; always empty for a delete. */
    OptionalLong expireTs(long createTs, OptionalLong defaultTtlMillis) {
        return value == null ? OptionalLong.empty() : options.expireTs(createTs, defaultTtlMillis);
    }
}
