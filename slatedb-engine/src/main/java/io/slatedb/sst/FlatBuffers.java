package io.slatedb.sst;

import io.slatedb.format.FormatException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Cheap structural checks before trusting FlatBuffers accessors, which index the buffer without
 * validation: the root offset must point inside the buffer and vector lengths must fit in it, so a
 * malformed buffer cannot make a decoder loop over billions of phantom elements. Anything the checks
 * miss surfaces as a runtime exception from the accessors, which decoders turn into
 * {@link FormatException}.
 */
final class FlatBuffers {
    private FlatBuffers() {
    }

    static void checkRoot(ByteBuffer buffer) {
        if (buffer.remaining() < 8) {
            throw new FormatException("FlatBuffer of " + buffer.remaining() + " bytes is too short");
        }
        long root = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(buffer.position()) & 0xffffffffL;
        if (root < 4 || root > buffer.remaining() - 4) {
            throw new FormatException("FlatBuffer root offset " + root + " is outside the " + buffer.remaining() + "-byte buffer");
        }
    }

    static int checkVectorLength(ByteBuffer buffer, int length, int elementSize, String what) {
        if (length < 0 || (long) length * elementSize > buffer.capacity()) {
            throw new FormatException(what + " claims " + length + " elements in a " + buffer.capacity() + "-byte buffer");
        }
        return length;
    }
}
