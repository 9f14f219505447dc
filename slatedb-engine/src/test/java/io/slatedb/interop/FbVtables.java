package io.slatedb.interop;

import com.google.flatbuffers.Table;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;

/**
 * Reads a FlatBuffers table's vtable, which the generated accessors hide: how many slots the writer declared
 * and which it filled. Schema tests use it to prove that a writer (the Rust SlateDB) put nothing into slots
 * our schema does not know, since the generated accessors silently ignore such slots.
 */
public final class FbVtables {

    private static final Field BB_POS;

    static {
        try {
            BB_POS = Table.class.getDeclaredField("bb_pos");
            BB_POS.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private FbVtables() {
    }

    /** Number of slots the table's vtable declares (the writer trims trailing absent fields). */
    public static int declaredSlots(Table table) {
        ByteBuffer bb = table.getByteBuffer();
        int pos = position(table);
        int vtable = pos - bb.getInt(pos);
        return (Short.toUnsignedInt(bb.getShort(vtable)) - 4) / 2;
    }

    /** Whether the writer stored a value in {@code slot} (0-based field index). */
    public static boolean filled(Table table, int slot) {
        ByteBuffer bb = table.getByteBuffer();
        int pos = position(table);
        int vtable = pos - bb.getInt(pos);
        int vtableSize = Short.toUnsignedInt(bb.getShort(vtable));
        int entry = 4 + 2 * slot;
        return entry < vtableSize && bb.getShort(vtable + entry) != 0;
    }

    /** The highest filled slot, or -1 for a table with no field set. */
    public static int highestFilledSlot(Table table) {
        for (int slot = declaredSlots(table) - 1; slot >= 0; slot--) {
            if (filled(table, slot)) {
                return slot;
            }
        }
        return -1;
    }

    private static int position(Table table) {
        try {
            return BB_POS.getInt(table);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
