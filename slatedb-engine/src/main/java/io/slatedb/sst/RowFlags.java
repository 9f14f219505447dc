package io.slatedb.sst;

import io.slatedb.format.FormatException;

/** The flags byte of a stored row, shared by the V0 and V2 row codecs. */
final class RowFlags {
    static final int TOMBSTONE = 0x01;
    static final int HAS_EXPIRE_TS = 0x02;
    static final int HAS_CREATE_TS = 0x04;
    static final int MERGE_OPERAND = 0x08;
    private static final int KNOWN = TOMBSTONE | HAS_EXPIRE_TS | HAS_CREATE_TS | MERGE_OPERAND;

    private RowFlags() {
    }

    /** The flags byte describing {@code row}. */
    static int of(RowEntry row) {
        int flags = switch (row.kind()) {
            case VALUE -> 0;
            case TOMBSTONE -> TOMBSTONE;
            case MERGE_OPERAND -> MERGE_OPERAND;
        };
        if (row.expireTs().isPresent()) {
            flags |= HAS_EXPIRE_TS;
        }
        if (row.createTs().isPresent()) {
            flags |= HAS_CREATE_TS;
        }
        return flags;
    }

    /**
     * Checks a stored flags byte: bits this version does not know mean the row was written by a newer
     * codec, and a row cannot be both a tombstone and a merge operand.
     */
    static int validate(int flags) {
        if ((flags & ~KNOWN) != 0) {
            throw new FormatException(String.format("row flags 0x%02x have unknown bits (known: 0x%02x)", flags, KNOWN));
        }
        if ((flags & TOMBSTONE) != 0 && (flags & MERGE_OPERAND) != 0) {
            throw new FormatException(String.format("row flags 0x%02x mark a tombstone and a merge operand", flags));
        }
        return flags;
    }

    static ValueKind kind(int flags) {
        if ((flags & TOMBSTONE) != 0) {
            return ValueKind.TOMBSTONE;
        }
        return (flags & MERGE_OPERAND) != 0 ? ValueKind.MERGE_OPERAND : ValueKind.VALUE;
    }
}
