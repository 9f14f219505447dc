package io.slatedb.db;

import io.slatedb.PutOptions;

import java.util.OptionalLong;

/**
 * One key's change in a write, as the writer applies it. The arrays are the engine's own (the public
 * {@link io.slatedb.WriteBatch.Op} copied them from the caller), so the writer stores them in the WAL
 * buffer and the memtable without copying them again.
 *
 * @param key     the key
 * @param value   the value of a put; null for a delete
 * @param options the put's options; null for a delete
 */
public record WriteOp(byte[] key, byte[] value, PutOptions options) {

    /** Whether this is a put (otherwise a delete). */
    public boolean isPut() {
        return value != null;
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
