package io.slatedb.db;

import io.slatedb.KeyValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * What a database should hold: the writes it acknowledged, in sequence order, so that the expected
 * contents as of any sequence number can be rebuilt (reads at the durable sequence number, recovery
 * that kept a prefix of the writes). Keys are ASCII strings, so their order is the byte order.
 */
final class DbModel {

    /** One key's change in a write: a value with its expiry time, or a delete ({@code value} null). */
    record Change(String key, byte[] value, OptionalLong expireTs) {
        static Change put(String key, byte[] value, OptionalLong expireTs) {
            return new Change(key, value, expireTs);
        }

        static Change delete(String key) {
            return new Change(key, null, OptionalLong.empty());
        }
    }

    /** One write (a put, a delete or a whole batch): one sequence number and creation time. */
    record Write(long seq, long createTs, List<Change> changes) {
    }

    private final List<Write> writes = new ArrayList<>();

    /** Records a write; sequence numbers must increase. */
    void record(long seq, long createTs, List<Change> changes) {
        if (!writes.isEmpty() && seq <= lastSeq()) {
            throw new IllegalArgumentException("seq " + seq + " after " + lastSeq());
        }
        writes.add(new Write(seq, createTs, List.copyOf(changes)));
    }

    /** The sequence number of the last recorded write, or 0. */
    long lastSeq() {
        return writes.isEmpty() ? 0 : writes.get(writes.size() - 1).seq();
    }

    /** Every recorded write, oldest first. */
    List<Write> writes() {
        return List.copyOf(writes);
    }

    /** Forgets the writes after {@code seq} (a recovery that did not keep them). */
    void truncateAfter(long seq) {
        writes.removeIf(w -> w.seq() > seq);
    }

    /** The visible pairs once every write up to {@code seq} is applied, in key order. */
    NavigableMap<String, KeyValue> at(long seq) {
        TreeMap<String, KeyValue> state = new TreeMap<>();
        for (Write write : writes) {
            if (write.seq() > seq) {
                break;
            }
            for (Change change : write.changes()) {
                if (change.value() == null) {
                    state.remove(change.key());
                } else {
                    state.put(change.key(), new KeyValue(bytes(change.key()), change.value(), write.seq(),
                            write.createTs(), change.expireTs()));
                }
            }
        }
        return state;
    }

    /** The visible pairs after every recorded write. */
    NavigableMap<String, KeyValue> current() {
        return at(Long.MAX_VALUE);
    }

    static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.US_ASCII);
    }

    static String string(byte[] key) {
        return new String(key, StandardCharsets.US_ASCII);
    }
}
