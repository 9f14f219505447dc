package io.slatedb.gc;

import com.google.flatbuffers.Table;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The compacted-SST low watermark a {@code .compactions} file implies: the ULID time of the oldest
 * compaction it lists. A compaction's outputs are named after it starts, so every SST a running
 * compaction may have written but not yet published is at or after that time, and the collector only
 * deletes SSTs named before it.
 *
 * <p>Only this much of the file is read, straight from its FlatBuffer ({@code CompactionsV1
 * {compactor_epoch, recent_compactions: [Compaction {id: Ulid, ...}]}} behind a 2-byte big-endian
 * version, 1 or 2); the full codec belongs to the compactor. As in SlateDB, a missing file, a file
 * listing no compaction, and a file that cannot be read all give the epoch (0), which lets no compacted
 * SST be deleted.
 */
final class CompactionsWatermark {
    /** The watermark that deletes nothing. */
    static final long NONE = 0;

    // vtable slots: CompactionsV1 {compactor_epoch = 0, recent_compactions = 1};
    // Compaction {id = 0, ...}; Ulid {high = 0, low = 1}. A slot's vtable offset is 4 + 2 * slot.
    private static final int RECENT_COMPACTIONS = 6;
    private static final int COMPACTION_ID = 4;
    private static final int ULID_HIGH = 4;

    private CompactionsWatermark() {
    }

    /**
     * The oldest compaction's ULID time in ms, or {@link #NONE} when {@code file} is null (no
     * {@code .compactions} file), lists no compaction, or is not a readable compactions file.
     */
    static long of(byte[] file) {
        if (file == null || file.length < 2 + 8) {
            return NONE;
        }
        int version = ((file[0] & 0xFF) << 8) | (file[1] & 0xFF);
        if (version != 1 && version != 2) {
            return NONE;
        }
        try {
            ByteBuffer bb = ByteBuffer.wrap(file, 2, file.length - 2).slice().order(ByteOrder.LITTLE_ENDIAN);
            Node root = new Node(bb, bb.getInt(0));
            int vector = root.vector(RECENT_COMPACTIONS);
            if (vector < 0) {
                return NONE;
            }
            int count = bb.getInt(vector);
            if (count <= 0 || count > (bb.limit() - vector) / 4) {
                return NONE;
            }
            long oldest = Long.MAX_VALUE;
            for (int i = 0; i < count; i++) {
                int element = vector + 4 + 4 * i;
                Node compaction = new Node(bb, element + bb.getInt(element));
                int id = compaction.table(COMPACTION_ID);
                if (id < 0) {
                    return NONE; // id is required: not a compactions file
                }
                long high = new Node(bb, id).u64(ULID_HIGH);
                long millis = high >>> 16; // the 48-bit timestamp heads the ULID's upper half
                oldest = Math.min(oldest, millis);
            }
            return oldest;
        } catch (RuntimeException unreadable) {
            return NONE;
        }
    }

    /** A FlatBuffer table at an absolute position, read with bounds checks from the ByteBuffer. */
    private static final class Node extends Table {
        Node(ByteBuffer bb, int position) {
            if (position < 0 || position >= bb.limit()) {
                throw new IndexOutOfBoundsException("table at " + position);
            }
            __reset(position, bb);
        }

        /** The absolute position of the vector's length field, or -1 when absent. */
        int vector(int slot) {
            int o = __offset(slot);
            return o == 0 ? -1 : __vector(o) - 4;
        }

        /** The absolute position of the sub-table, or -1 when absent. */
        int table(int slot) {
            int o = __offset(slot);
            return o == 0 ? -1 : __indirect(o + bb_pos);
        }

        long u64(int slot) {
            int o = __offset(slot);
            return o == 0 ? 0 : bb.getLong(o + bb_pos);
        }
    }
}
