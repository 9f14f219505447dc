package io.slatedb.memtable;

import io.slatedb.sst.RowEntry;
import io.slatedb.sst.ValueKind;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Append-only storage of a memtable's rows (everything but the sequence number) packed into large
 * byte pages, so a full memtable is a few hundred arrays rather than several objects per row, which
 * the garbage collector would otherwise copy and trace until the L0 flush. A row is addressed by a
 * long: its page in the high 32 bits, its offset in the low 32.
 *
 * <p>One thread appends; any number read. A row's bytes are written before its address is handed
 * out, and pages never move, so a reader that obtained an address through a happens-before edge
 * (the skip list's release/acquire links) reads the complete row.
 *
 * <p>Row layout: key length (int), value length (int, -1 for a tombstone), kind (byte), flags (byte:
 * bit 0 creation time, bit 1 expiry time), the timestamps present (8 bytes each), the key, the value.
 */
final class RowArena {
    /**
     * Pages stay below G1's humongous-object threshold (half a region, 512 KiB at the smallest region
     * size), so they are allocated and collected like ordinary young objects.
     */
    static final int PAGE_BYTES = 256 * 1024;
    /** Rows larger than this get a page of their own, so a page never wastes more than a quarter. */
    private static final int DEDICATED_ROW_BYTES = PAGE_BYTES / 4;
    private static final int FIXED_HEADER = 4 + 4 + 1 + 1;
    private static final int HAS_CREATE_TS = 1;
    private static final int HAS_EXPIRE_TS = 2;
    private static final ValueKind[] KINDS = ValueKind.values();

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** The page directory; replaced (never changed in place) when it grows, so readers need no lock. */
    private volatile byte[][] pages = new byte[4][];
    // Writer only.
    private int pageCount;
    private byte[] current;
    private int currentIndex;
    private int position;

    /** Stores {@code row}'s key, value, kind and timestamps; returns the row's address. Writer only. */
    long append(RowEntry row) {
        byte[] key = row.key();
        byte[] value = row.value();
        int flags = (row.createTs().isPresent() ? HAS_CREATE_TS : 0) | (row.expireTs().isPresent() ? HAS_EXPIRE_TS : 0);
        long size = (long) FIXED_HEADER + 8L * Integer.bitCount(flags) + key.length + (value == null ? 0 : value.length);
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("row of " + size + " bytes is too large for a memtable");
        }
        byte[] page;
        int pageIndex;
        int offset;
        if (size > DEDICATED_ROW_BYTES) {
            page = new byte[(int) size];
            pageIndex = addPage(page);
            offset = 0;
        } else {
            if (current == null || position + size > current.length) {
                current = new byte[PAGE_BYTES];
                currentIndex = addPage(current);
                position = 0;
            }
            page = current;
            pageIndex = currentIndex;
            offset = position;
            position += (int) size;
        }
        int at = offset;
        INT.set(page, at, key.length);
        INT.set(page, at + 4, value == null ? -1 : value.length);
        page[at + 8] = (byte) row.kind().ordinal();
        page[at + 9] = (byte) flags;
        at += FIXED_HEADER;
        if (row.createTs().isPresent()) {
            LONG.set(page, at, row.createTs().getAsLong());
            at += 8;
        }
        if (row.expireTs().isPresent()) {
            LONG.set(page, at, row.expireTs().getAsLong());
            at += 8;
        }
        System.arraycopy(key, 0, page, at, key.length);
        if (value != null) {
            System.arraycopy(value, 0, page, at + key.length, value.length);
        }
        return ((long) pageIndex << 32) | offset;
    }

    /** Adds {@code page} to the directory; returns its index. */
    private int addPage(byte[] page) {
        byte[][] directory = pages;
        if (pageCount == directory.length) {
            directory = Arrays.copyOf(directory, directory.length * 2);
        }
        directory[pageCount++] = page;
        // Published with a volatile write even when the directory did not grow: the new slot must be
        // visible to readers before any address in it.
        pages = directory;
        return pageCount - 1;
    }

    /** The row at {@code address}, with sequence number {@code seq}. */
    RowEntry read(long address, long seq) {
        byte[] page = page(address);
        int at = offset(address);
        int keyLength = (int) INT.get(page, at);
        int valueLength = (int) INT.get(page, at + 4);
        ValueKind kind = KINDS[page[at + 8]];
        int flags = page[at + 9];
        at += FIXED_HEADER;
        OptionalLong createTs = OptionalLong.empty();
        OptionalLong expireTs = OptionalLong.empty();
        if ((flags & HAS_CREATE_TS) != 0) {
            createTs = OptionalLong.of((long) LONG.get(page, at));
            at += 8;
        }
        if ((flags & HAS_EXPIRE_TS) != 0) {
            expireTs = OptionalLong.of((long) LONG.get(page, at));
            at += 8;
        }
        byte[] key = Arrays.copyOfRange(page, at, at + keyLength);
        byte[] value = valueLength < 0 ? null : Arrays.copyOfRange(page, at + keyLength, at + keyLength + valueLength);
        return new RowEntry(key, kind, value, seq, createTs, expireTs);
    }

    /** A copy of the key of the row at {@code address}. */
    byte[] key(long address) {
        byte[] page = page(address);
        int at = offset(address);
        int from = keyOffset(page, at);
        return Arrays.copyOfRange(page, from, from + (int) INT.get(page, at));
    }

    /** Compares the key of the row at {@code address} with {@code key}, as unsigned bytes. */
    int compareKey(long address, byte[] key) {
        byte[] page = page(address);
        int at = offset(address);
        int from = keyOffset(page, at);
        return Arrays.compareUnsigned(page, from, from + (int) INT.get(page, at), key, 0, key.length);
    }

    private static int keyOffset(byte[] page, int at) {
        return at + FIXED_HEADER + 8 * Integer.bitCount(page[at + 9] & (HAS_CREATE_TS | HAS_EXPIRE_TS));
    }

    private byte[] page(long address) {
        return pages[(int) (address >>> 32)];
    }

    private static int offset(long address) {
        return (int) address;
    }
}
