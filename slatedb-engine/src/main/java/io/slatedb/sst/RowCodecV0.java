package io.slatedb.sst;

import io.slatedb.format.ByteCursor;
import io.slatedb.format.ByteSink;
import io.slatedb.format.FormatException;

import java.util.OptionalLong;

/**
 * The row codec of version-1 blocks (SST format version 1), kept to read SSTs written by older
 * SlateDB versions. A row is stored as {@code u16 key_prefix_len | u16 key_suffix_len | key_suffix |
 * u64 seq | u8 flags | [i64 expire_ts] | [i64 create_ts] | (not a tombstone: u32 value_len | value)},
 * all big-endian, where the key shares its first {@code key_prefix_len} bytes with the first key of
 * its block.
 */
final class RowCodecV0 {
    private RowCodecV0() {
    }

    /** Encodes {@code row} sharing {@code prefix} bytes with its block's first key. */
    static void encode(ByteSink out, int prefix, RowEntry row) {
        byte[] key = row.key();
        if (prefix > 0xffff || key.length - prefix > 0xffff || key.length > 0xffff) {
            throw new IllegalArgumentException("version-1 rows hold keys of at most 65535 bytes");
        }
        out.writeU16(prefix).writeU16(key.length - prefix).write(key, prefix, key.length - prefix);
        int flags = RowFlags.of(row);
        out.writeU64(row.seq()).writeU8(flags);
        if (row.expireTs().isPresent()) {
            out.writeU64(row.expireTs().getAsLong());
        }
        if (row.createTs().isPresent()) {
            out.writeU64(row.createTs().getAsLong());
        }
        if (row.value() != null) {
            out.writeU32(row.value().length).write(row.value());
        }
    }

    /**
     * Decodes the row at the cursor; {@code firstKey} is the first key of the block, null when this is
     * the block's first row (which shares nothing).
     */
    static RowEntry decode(ByteCursor in, byte[] firstKey) {
        int prefix = in.readU16("row key prefix length");
        int suffixLength = in.readU16("row key suffix length");
        int available = firstKey == null ? 0 : firstKey.length;
        if (prefix > available) {
            throw new FormatException("row shares " + prefix + " key bytes with a " + available + "-byte first key");
        }
        byte[] key = new byte[prefix + suffixLength];
        if (prefix > 0) {
            System.arraycopy(firstKey, 0, key, 0, prefix);
        }
        in.readInto(key, prefix, suffixLength, "row key suffix");
        long seq = in.readU64("row seq");
        int flags = RowFlags.validate(in.readU8("row flags"));
        OptionalLong expireTs = (flags & RowFlags.HAS_EXPIRE_TS) != 0
                ? OptionalLong.of(in.readU64("row expire_ts")) : OptionalLong.empty();
        OptionalLong createTs = (flags & RowFlags.HAS_CREATE_TS) != 0
                ? OptionalLong.of(in.readU64("row create_ts")) : OptionalLong.empty();
        ValueKind kind = RowFlags.kind(flags);
        if (kind == ValueKind.TOMBSTONE) {
            // Like the Rust reader, a version-1 tombstone reports no expiry time.
            return new RowEntry(key, kind, null, seq, createTs, OptionalLong.empty());
        }
        long valueLength = in.readU32("row value length");
        byte[] value = in.readBytes(valueLength, "row value");
        return new RowEntry(key, kind, value, seq, createTs, expireTs);
    }
}
