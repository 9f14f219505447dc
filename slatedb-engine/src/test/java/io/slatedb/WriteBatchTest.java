package io.slatedb;

import io.slatedb.WriteBatch.Op;
import io.slatedb.WriteBatch.OpKind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriteBatchTest {

    /** One call on a batch: a put (value non-null) or a delete. */
    record Action(byte[] key, byte[] value, PutOptions options) {
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        // Few distinct short keys, with bytes on both sides of 0x80, so replacements happen and
        // signed and unsigned orders differ.
        Arbitrary<byte[]> keys = Arbitraries.of((byte) 0x00, (byte) 0x7f, (byte) 0x80, (byte) 0xff)
                .array(byte[].class).ofMinSize(1).ofMaxSize(2);
        Arbitrary<byte[]> values = Arbitraries.bytes().array(byte[].class).ofMaxSize(6);
        Arbitrary<PutOptions> options = Arbitraries.of(PutOptions.DEFAULT, PutOptions.NO_EXPIRY,
                new PutOptions(Ttl.expireAfter(Duration.ofSeconds(3))));
        Arbitrary<Action> put = keys.flatMap(k -> values.flatMap(v -> options.map(o -> new Action(k, v, o))));
        Arbitrary<Action> delete = keys.map(k -> new Action(k, null, null));
        return Arbitraries.frequencyOf(Tuple.of(3, put), Tuple.of(1, delete)).list().ofMaxSize(40);
    }

    @Property(tries = 500)
    void holdsTheLastOpPerKeyInUnsignedKeyOrder(@ForAll("actions") List<Action> actions) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            WriteBatch batch = new WriteBatch();
            TreeMap<byte[], Action> model = new TreeMap<>(Arrays::compareUnsigned);
            for (Action action : actions) {
                if (action.value() == null) {
                    batch.delete(action.key());
                } else if (action.options() == PutOptions.DEFAULT) {
                    batch.put(action.key(), action.value());
                } else {
                    batch.put(action.key(), action.value(), action.options());
                }
                model.put(action.key(), action);
            }
            List<Op> ops = batch.ops();
            assertEquals(model.size(), ops.size());
            assertEquals(model.size(), batch.size());
            assertEquals(model.isEmpty(), batch.isEmpty());
            long size = 0;
            int i = 0;
            for (Map.Entry<byte[], Action> expected : model.entrySet()) {
                Op op = ops.get(i++);
                Action action = expected.getValue();
                assertArrayEquals(expected.getKey(), op.key());
                if (action.value() == null) {
                    assertEquals(OpKind.DELETE, op.kind());
                    assertNull(op.value());
                    assertNull(op.options());
                } else {
                    assertEquals(OpKind.PUT, op.kind());
                    assertArrayEquals(action.value(), op.value());
                    assertEquals(action.options(), op.options());
                }
                size += op.keyLength() + op.valueLength() + WriteBatch.ROW_OVERHEAD_BYTES;
            }
            assertEquals(size, batch.estimatedEncodedSize());
        });
    }

    @Test
    void mergesAppendToTheirKeyAndAPutOrDeleteReplacesThem() {
        WriteBatch batch = new WriteBatch().merge(bytes(2), bytes(1)).put(bytes(1), bytes(9)).merge(bytes(2), bytes(2))
                .merge(bytes(1), bytes(3), MergeOptions.NO_EXPIRY);
        assertEquals(List.of(new Op(bytes(1), OpKind.PUT, bytes(9), PutOptions.DEFAULT),
                new Op(bytes(1), OpKind.MERGE, bytes(3), MergeOptions.NO_EXPIRY),
                new Op(bytes(2), OpKind.MERGE, bytes(1), MergeOptions.DEFAULT),
                new Op(bytes(2), OpKind.MERGE, bytes(2), MergeOptions.DEFAULT)), batch.ops());
        assertEquals(4, batch.size());
        batch.delete(bytes(2));
        assertEquals(List.of(new Op(bytes(1), OpKind.PUT, bytes(9), PutOptions.DEFAULT),
                new Op(bytes(1), OpKind.MERGE, bytes(3), MergeOptions.NO_EXPIRY),
                new Op(bytes(2), OpKind.DELETE, null, null)), batch.ops());
        assertEquals(3, batch.size());
        assertThrows(IllegalArgumentException.class, () -> new Op(bytes(1), OpKind.MERGE, bytes(1), PutOptions.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> new Op(bytes(1), OpKind.PUT, bytes(1), MergeOptions.DEFAULT));
    }

    @Test
    void laterOpsReplaceEarlierOnesOnTheSameKey() {
        WriteBatch batch = new WriteBatch()
                .put(bytes(1), bytes(10))
                .delete(bytes(1))
                .put(bytes(2), bytes(20))
                .put(bytes(2), bytes(21), PutOptions.NO_EXPIRY);
        assertEquals(List.of(new Op(bytes(1), OpKind.DELETE, null, null),
                new Op(bytes(2), OpKind.PUT, bytes(21), PutOptions.NO_EXPIRY)), batch.ops());
    }

    @Test
    void keysOrderAsUnsignedBytes() {
        WriteBatch batch = new WriteBatch().put(bytes(0xff), bytes(1)).put(bytes(0x01), bytes(2))
                .put(bytes(0x80), bytes(3)).put(bytes(0x01, 0x00), bytes(4));
        List<byte[]> keys = batch.ops().stream().map(Op::key).toList();
        assertArrayEquals(bytes(0x01), keys.get(0));
        assertArrayEquals(bytes(0x01, 0x00), keys.get(1));
        assertArrayEquals(bytes(0x80), keys.get(2));
        assertArrayEquals(bytes(0xff), keys.get(3));
    }

    @Test
    void rejectsEmptyAndOverlongKeys() {
        WriteBatch batch = new WriteBatch();
        assertInvalid("key must not be empty", () -> batch.put(new byte[0], bytes(1)));
        assertInvalid("key must not be empty", () -> batch.delete(new byte[0]));
        assertInvalid("65536 bytes", () -> batch.put(new byte[65536], bytes(1)));
        assertInvalid("65536 bytes", () -> batch.delete(new byte[65536]));
        batch.put(new byte[65535], bytes(1));
        assertEquals(1, batch.size());
        assertThrows(NullPointerException.class, () -> batch.put(null, bytes(1)));
        assertThrows(NullPointerException.class, () -> batch.put(bytes(1), null));
        assertThrows(NullPointerException.class, () -> batch.put(bytes(1), bytes(1), null));
    }

    @Test
    void rejectsValuesLongerThanTheMaximum() {
        assertEquals((1L << 31) - (1L << 20), WriteBatch.MAX_VALUE_BYTES);
        WriteBatch.checkValueLength(WriteBatch.MAX_VALUE_BYTES);
        assertInvalid("longer than the maximum", () -> WriteBatch.checkValueLength(WriteBatch.MAX_VALUE_BYTES + 1));
    }

    @Test
    void failedCallsLeaveTheBatchUnchanged() {
        WriteBatch batch = new WriteBatch().put(bytes(1), bytes(1));
        assertThrows(SlateDbException.class, () -> batch.put(new byte[0], bytes(2)));
        assertEquals(List.of(new Op(bytes(1), OpKind.PUT, bytes(1), PutOptions.DEFAULT)), batch.ops());
    }

    @Test
    void keysAndValuesAreCopied() {
        byte[] key = bytes(1);
        byte[] value = bytes(2);
        WriteBatch batch = new WriteBatch().put(key, value);
        key[0] = 9;
        value[0] = 9;
        Op op = batch.ops().get(0);
        assertArrayEquals(bytes(1), op.key());
        assertArrayEquals(bytes(2), op.value());
        op.key()[0] = 9;
        op.value()[0] = 9;
        assertArrayEquals(bytes(1), batch.ops().get(0).key());
        assertArrayEquals(bytes(2), batch.ops().get(0).value());
    }

    @Test
    void opsAreAnImmutableSnapshotSoABatchCanBeReused() {
        WriteBatch batch = new WriteBatch().put(bytes(1), bytes(1));
        List<Op> first = batch.ops();
        batch.put(bytes(1), bytes(2)).put(bytes(3), bytes(3));
        assertEquals(List.of(new Op(bytes(1), OpKind.PUT, bytes(1), PutOptions.DEFAULT)), first);
        assertThrows(UnsupportedOperationException.class, () -> first.add(first.get(0)));
        batch.clear();
        assertTrue(batch.isEmpty());
        assertEquals(0, batch.estimatedEncodedSize());
        assertEquals(1, first.size());
        batch.delete(bytes(4));
        assertEquals(List.of(new Op(bytes(4), OpKind.DELETE, null, null)), batch.ops());
    }

    @Test
    void opsComputeTheirExpiryFromTheirPutOptions() {
        Op put = new Op(bytes(1), OpKind.PUT, bytes(1), new PutOptions(Ttl.expireAfter(Duration.ofMillis(5))));
        Op defaulted = new Op(bytes(1), OpKind.PUT, bytes(1), PutOptions.DEFAULT);
        Op delete = new Op(bytes(1), OpKind.DELETE, null, null);
        assertEquals(OptionalLong.of(105), put.expireTs(100, OptionalLong.of(50)));
        assertEquals(OptionalLong.of(150), defaulted.expireTs(100, OptionalLong.of(50)));
        assertEquals(OptionalLong.empty(), delete.expireTs(100, OptionalLong.of(50)));
    }

    @Test
    void opsRejectInconsistentShapes() {
        assertThrows(IllegalArgumentException.class, () -> new Op(bytes(1), OpKind.DELETE, bytes(1), null));
        assertThrows(IllegalArgumentException.class, () -> new Op(bytes(1), OpKind.DELETE, null, PutOptions.DEFAULT));
        assertThrows(NullPointerException.class, () -> new Op(bytes(1), OpKind.PUT, null, PutOptions.DEFAULT));
        assertThrows(NullPointerException.class, () -> new Op(bytes(1), OpKind.PUT, bytes(1), null));
    }

    @Test
    void describesItselfReadably() {
        WriteBatch batch = new WriteBatch().put("k".getBytes(), "v".getBytes()).delete(bytes(0));
        List<String> shown = new ArrayList<>();
        batch.ops().forEach(op -> shown.add(op.toString()));
        assertEquals(List.of("Delete[0x00]", "Put[\"k\"=\"v\", UseDefault[]]"), shown);
        assertEquals("WriteBatch[2 ops, ~" + batch.estimatedEncodedSize() + " bytes]", batch.toString());
        assertFalse(batch.isEmpty());
    }

    private static void assertInvalid(String fragment, org.junit.jupiter.api.function.Executable call) {
        SlateDbException e = assertThrows(SlateDbException.class, call);
        assertEquals(ErrorKind.INVALID, e.kind());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
