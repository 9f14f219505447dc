package io.slatedb.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checks the structure of a FlatBuffer before generated accessors read it, the way the Rust runtime's
 * verifier does: every table, vtable, field, vector and string must lie inside the buffer and be
 * aligned, required fields must be present, and strings must be UTF-8 with their terminating zero.
 * The Java FlatBuffers runtime has no verifier, and its accessors trust offsets, so a corrupt object
 * would otherwise surface as an arbitrary runtime exception or as garbage values.
 *
 * <p>Schema knowledge stays with the caller, which walks its tables with these primitives; a field is
 * named by its vtable offset ({@code 4 + 2 * slot}). Positions are absolute indexes into the buffer,
 * which is read little-endian from index 0 to its limit. Besides bounds, the verifier limits how many
 * objects one walk may visit to what the buffer can hold without sharing, so a crafted buffer whose
 * offsets alias one another cannot make the walk (or the decoding after it) blow up.
 *
 * <p>Failures throw {@link InvalidFlatBufferException}; callers report them as corrupt objects.
 */
public final class FlatBufferVerifier {
    private static final int UOFFSET_SIZE = 4;

    private final ByteBuffer buffer;
    private final int limit;
    private long objectBudget;

    /** A verifier over {@code buffer}'s bytes from index 0 to its limit (its position is ignored). */
    public FlatBufferVerifier(ByteBuffer buffer) {
        this.buffer = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.limit = buffer.limit();
        // Every distinct table, vector or string takes at least 4 bytes.
        this.objectBudget = limit / 4 + 1;
    }

    /** Verifies the root offset and the root table's header; returns the root table's position. */
    public int rootTable() {
        if (limit < UOFFSET_SIZE) {
            throw new InvalidFlatBufferException("buffer of " + limit + " bytes has no root offset");
        }
        return table(followOffset(0, "root"), "root");
    }

    /**
     * Verifies the header of the table at {@code position}: its vtable and its declared size.
     *
     * @return {@code position}
     */
    public int table(int position, String what) {
        spend(what);
        checkRange(position, UOFFSET_SIZE, 4, what + " table");
        long vtable = (long) position - buffer.getInt(position);
        if (vtable < 0 || vtable > limit - 4L) {
            throw new InvalidFlatBufferException(what + " table at " + position + " has its vtable out of bounds");
        }
        checkRange(vtable, 4, 2, what + " vtable");
        int vtableSize = Short.toUnsignedInt(buffer.getShort((int) vtable));
        int tableSize = Short.toUnsignedInt(buffer.getShort((int) vtable + 2));
        if (vtableSize < 4 || vtableSize % 2 != 0) {
            throw new InvalidFlatBufferException(what + " vtable at " + vtable + " has invalid size " + vtableSize);
        }
        checkRange(vtable, vtableSize, 2, what + " vtable");
        if (tableSize < UOFFSET_SIZE) {
            throw new InvalidFlatBufferException(what + " table at " + position + " has invalid size " + tableSize);
        }
        checkRange(position, tableSize, 4, what + " table");
        return position;
    }

    /** Verifies an optional scalar field of {@code size} bytes (1, 2, 4 or 8). */
    public void scalar(int table, int vtableOffset, int size, String what) {
        int field = fieldPosition(table, vtableOffset, size, what);
        if (field >= 0) {
            checkRange(field, size, size, what);
        }
    }

    /**
     * Verifies a table-valued field and the table it points to.
     *
     * @return the child table's position, or -1 when the optional field is absent
     */
    public int tableField(int table, int vtableOffset, boolean required, String what) {
        int field = offsetField(table, vtableOffset, required, what);
        return field < 0 ? -1 : table(followOffset(field, what), what);
    }

    /**
     * Verifies a vector-valued field whose elements are {@code elementSize} bytes each (4 for vectors
     * of tables, which the caller then verifies with {@link #tableElement}).
     *
     * @return the vector's position (its length word), or -1 when the optional field is absent
     */
    public int vectorField(int table, int vtableOffset, int elementSize, boolean required, String what) {
        int field = offsetField(table, vtableOffset, required, what);
        return field < 0 ? -1 : vector(followOffset(field, what), elementSize, what);
    }

    /** The element count of a verified vector. */
    public int vectorLength(int vector) {
        return buffer.getInt(vector);
    }

    /** Verifies the table that element {@code index} of a verified vector of tables points to. */
    public int tableElement(int vector, int index, String what) {
        int element = vector + UOFFSET_SIZE + index * UOFFSET_SIZE;
        return table(followOffset(element, what), what);
    }

    /** Verifies a string-valued field: in bounds, zero-terminated and valid UTF-8. */
    public void stringField(int table, int vtableOffset, boolean required, String what) {
        int field = offsetField(table, vtableOffset, required, what);
        if (field < 0) {
            return;
        }
        int string = vector(followOffset(field, what), 1, what);
        int length = vectorLength(string);
        int start = string + UOFFSET_SIZE;
        checkRange(start, length + 1L, 1, what);
        if (buffer.get(start + length) != 0) {
            throw new InvalidFlatBufferException(what + " string at " + string + " is not zero-terminated");
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(buffer.duplicate().position(start).limit(start + length));
        } catch (CharacterCodingException e) {
            throw new InvalidFlatBufferException(what + " string at " + string + " is not valid UTF-8");
        }
    }

    /** The byte value of an optional 1-byte scalar field, or {@code defaultValue} when absent. */
    public byte byteField(int table, int vtableOffset, byte defaultValue, String what) {
        int field = fieldPosition(table, vtableOffset, 1, what);
        return field < 0 ? defaultValue : buffer.get(field);
    }

    private int vector(int position, int elementSize, String what) {
        spend(what);
        checkRange(position, UOFFSET_SIZE, 4, what + " vector");
        long length = Integer.toUnsignedLong(buffer.getInt(position));
        checkRange(position + (long) UOFFSET_SIZE, length * elementSize, 1, what + " vector");
        return position;
    }

    private int offsetField(int table, int vtableOffset, boolean required, String what) {
        int field = fieldPosition(table, vtableOffset, UOFFSET_SIZE, what);
        if (field < 0) {
            if (required) {
                throw new InvalidFlatBufferException("required field " + what + " is missing");
            }
            return -1;
        }
        checkRange(field, UOFFSET_SIZE, UOFFSET_SIZE, what);
        return field;
    }

    /** The absolute position of a field, or -1 when the vtable does not list it. */
    private int fieldPosition(int table, int vtableOffset, int size, String what) {
        int vtable = table - buffer.getInt(table);
        int vtableSize = Short.toUnsignedInt(buffer.getShort(vtable));
        if (vtableOffset >= vtableSize) {
            return -1;
        }
        int fieldOffset = Short.toUnsignedInt(buffer.getShort(vtable + vtableOffset));
        if (fieldOffset == 0) {
            return -1;
        }
        int tableSize = Short.toUnsignedInt(buffer.getShort(vtable + 2));
        if (fieldOffset + size > tableSize) {
            throw new InvalidFlatBufferException(what + " lies outside its table at " + table);
        }
        return table + fieldOffset;
    }

    /** Follows the unsigned offset stored at {@code position}, which must already be in bounds. */
    private int followOffset(int position, String what) {
        long target = position + Integer.toUnsignedLong(buffer.getInt(position));
        if (target >= limit) {
            throw new InvalidFlatBufferException(what + " offset at " + position + " points out of bounds");
        }
        return (int) target;
    }

    private void checkRange(long position, long size, int alignment, String what) {
        if (position < 0 || size < 0 || position + size > limit) {
            throw new InvalidFlatBufferException(what + " at " + position + " (" + size + " bytes) is out of bounds");
        }
        if (position % alignment != 0) {
            throw new InvalidFlatBufferException(what + " at " + position + " is not " + alignment + "-byte aligned");
        }
    }

    private void spend(String what) {
        if (--objectBudget < 0) {
            throw new InvalidFlatBufferException("too many objects for the buffer's size at " + what
                    + " (offsets alias one another)");
        }
    }

    /** A FlatBuffer failed verification. */
    public static final class InvalidFlatBufferException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InvalidFlatBufferException(String message) {
            super(message);
        }
    }
}
