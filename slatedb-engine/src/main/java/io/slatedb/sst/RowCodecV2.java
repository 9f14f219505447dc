package io.slatedb.sst;

import io.slatedb.format.ByteCursor;
import io.slatedb.format.ByteSink;
import io.slatedb.format.FormatException;

import java.util.OptionalLong;

/**
 * The row codec of version-2 blocks. A row is stored as
 * {@code varint shared | varint unshared | varint value_len | key_suffix | value | u64 seq | u8 flags
 * | [i64 expire_ts] | [i64 create_ts]}, where the key shares its first {@code shared} bytes with the
 * previous row's key (0 at restart points). Varints are unsigned LEB128 of at most 32 bits; the
 * fixed-width fields are big-endian. Tombstones store no value bytes.
 */
final class RowCodecV2 {
    private RowCodecV2() {
    }

    /** The encoded size of {@code row} when it shares {@code shared} key bytes with its predecessor. */
    static long encodedSize(int shared, RowEntry row) {
        int unshared = row.key().length - shared;
        int valueLength = row.valueLength();
        long size = ByteSink.varU32Length(shared) + ByteSink.varU32Length(unshared)
                + ByteSink.varU32Length(valueLength) + unshared + (long) valueLength + 8 + 1;
        if (row.expireTs().isPresent()) {
            size += 8;
        }
        if (row.createTs().isPresent()) {
            size += 8;
        }
        return size;
    }

    static void encode(ByteSink out, int shared, RowEntry row) {
        byte[] key = row.key();
        int valueLength = row.valueLength();
        out.writeVarU32(shared).writeVarU32(key.length - shared).writeVarU32(valueLength);
        out.write(key, shared, key.length - shared);
        if (row.value() != null) {
            out.write(row.value());
        }
        int flags = RowFlags.of(row);
        out.writeU64(row.seq()).writeU8(flags);
        if (row.expireTs().isPresent()) {
            out.writeU64(row.expireTs().getAsLong());
        }
        if (row.createTs().isPresent()) {
            out.writeU64(row.createTs().getAsLong());
        }
    }

    /**
     * Decodes the row at the cursor, whose key shares a prefix with {@code previousKey} (null at a
     * restart point, where nothing may be shared).
     */
    static RowEntry decode(ByteCursor in, byte[] previousKey) {
        long shared = in.readVarU32("row shared key length");
        long unshared = in.readVarU32("row unshared key length");
        long valueLength = in.readVarU32("row value length");
        byte[] key = restoreKey(in, previousKey, shared, unshared);
        return decodeAfterKey(in, key, valueLength);
    }

    /**
     * Reads the header and key of the row at the cursor into {@code key} (which holds the previous
     * row's key, or nothing at a restart point) and returns the row's value length; the cursor is left
     * at the value. The row is then finished by {@link #decodeAfterKey} or {@link #skipAfterKey}.
     */
    static long readKey(ByteCursor in, KeyScratch key, boolean restart) {
        long shared = in.readVarU32("row shared key length");
        long unshared = in.readVarU32("row unshared key length");
        long valueLength = in.readVarU32("row value length");
        key.restore(in, shared, unshared, restart);
        return valueLength;
    }

    /** Decodes the rest of a row whose key has been read, from its value on. */
    static RowEntry decodeAfterKey(ByteCursor in, byte[] key, long valueLength) {
        byte[] valueBytes = in.readBytes(valueLength, "row value");
        long seq = in.readU64("row seq");
        int flags = RowFlags.validate(in.readU8("row flags"));
        OptionalLong expireTs = (flags & RowFlags.HAS_EXPIRE_TS) != 0
                ? OptionalLong.of(in.readU64("row expire_ts")) : OptionalLong.empty();
        OptionalLong createTs = (flags & RowFlags.HAS_CREATE_TS) != 0
                ? OptionalLong.of(in.readU64("row create_ts")) : OptionalLong.empty();
        ValueKind kind = RowFlags.kind(flags);
        if (kind == ValueKind.TOMBSTONE) {
            // No writer stores bytes for a tombstone; some would mean the row is not what it claims.
            if (valueBytes.length != 0) {
                throw new FormatException("tombstone row stores a " + valueBytes.length + "-byte value");
            }
            valueBytes = null;
        }
        return new RowEntry(key, kind, valueBytes, seq, createTs, expireTs);
    }

    /**
     * Moves the cursor past the rest of a row whose key has been read, for seeks that pass over rows
     * below their target: no value is copied and no row built. The skipped fields are checked for
     * length and flags only (and a tombstone for value bytes, as {@link #decodeAfterKey} checks it).
     */
    static void skipAfterKey(ByteCursor in, long valueLength) {
        in.skip(valueLength, "row value");
        in.skip(8, "row seq");
        int flags = RowFlags.validate(in.readU8("row flags"));
        if (valueLength != 0 && (flags & RowFlags.TOMBSTONE) != 0) {
            throw new FormatException("tombstone row stores a " + valueLength + "-byte value");
        }
        if ((flags & RowFlags.HAS_EXPIRE_TS) != 0) {
            in.skip(8, "row expire_ts");
        }
        if ((flags & RowFlags.HAS_CREATE_TS) != 0) {
            in.skip(8, "row create_ts");
        }
    }

    /**
     * Compares the key of the row at the cursor (a restart point: nothing shared) with {@code key} as
     * unsigned bytes, without copying it, for seeks. The cursor is left somewhere inside the row.
     */
    static int compareRestartKey(ByteCursor in, byte[] key) {
        long shared = in.readVarU32("row shared key length");
        long unshared = in.readVarU32("row unshared key length");
        in.readVarU32("row value length");
        if (shared > 0) {
            throw new FormatException("row shares " + shared + " key bytes with a 0-byte previous key"
                    + " (at a restart point)");
        }
        if (unshared > in.remaining()) {
            throw new FormatException("truncated row key: " + unshared + " bytes, " + in.remaining() + " left");
        }
        return in.compareNext(unshared, key, "row key suffix");
    }

    private static byte[] restoreKey(ByteCursor in, byte[] previousKey, long shared, long unshared) {
        int available = previousKey == null ? 0 : previousKey.length;
        if (shared > available) {
            throw new FormatException("row shares " + shared + " key bytes with a " + available + "-byte previous key"
                    + (previousKey == null ? " (at a restart point)" : ""));
        }
        if (unshared > in.remaining()) {
            throw new FormatException("truncated row key: " + unshared + " bytes, " + in.remaining() + " left");
        }
        byte[] key = new byte[(int) (shared + unshared)];
        if (shared > 0) {
            System.arraycopy(previousKey, 0, key, 0, (int) shared);
        }
        in.readInto(key, (int) shared, (int) unshared, "row key suffix");
        return key;
    }
}
