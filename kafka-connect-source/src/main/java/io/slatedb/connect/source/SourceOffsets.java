package io.slatedb.connect.source;

import org.apache.kafka.connect.errors.ConnectException;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The source partition of a database and the two shapes of its source offset, as Connect stores them
 * (JSON maps whose integral numbers come back as longs).
 *
 * <ul>
 *   <li>Streaming: {@code {"phase":"stream","wal_id":W,"seq":S}}: every row up to sequence number S is
 *       delivered; the task resumes by reading WAL file W again and leaving out the rows at or below S.</li>
 *   <li>Snapshot: {@code {"phase":"snapshot","checkpoint":"<uuid>","last_key":"<base64>","manifest_id":M,
 *       "wal_id":W,"seq":S,"min_seq":N}}: the snapshot at that checkpoint (position M/W/S) has delivered
 *       every key up to and including {@code last_key}; {@code min_seq} &gt; 0 marks a catch-up, which
 *       delivers only keys whose newest row is above it (a delete as a tombstone).</li>
 * </ul>
 */
final class SourceOffsets {

    static final String DB = "db";
    static final String PHASE = "phase";
    static final String STREAM = "stream";
    static final String SNAPSHOT = "snapshot";
    static final String WAL_ID = "wal_id";
    static final String SEQ = "seq";
    static final String CHECKPOINT = "checkpoint";
    static final String LAST_KEY = "last_key";
    static final String MANIFEST_ID = "manifest_id";
    static final String MIN_SEQ = "min_seq";

    private SourceOffsets() {
    }

    /** The source partition of database {@code path} in store {@code storeUrl}: stable across restarts. */
    static Map<String, String> partition(String storeUrl, String path) {
        return Map.of(DB, storeUrl + "|" + path);
    }

    /** Where streaming stands: WAL file {@code walId} is read again from the rows above {@code seq}. */
    record StreamPosition(long walId, long seq) {
        Map<String, Object> toOffset() {
            Map<String, Object> offset = new LinkedHashMap<>();
            offset.put(PHASE, STREAM);
            offset.put(WAL_ID, walId);
            offset.put(SEQ, seq);
            return offset;
        }
    }

    /**
     * Where a snapshot stands: its checkpoint and position, the last key delivered (null: none yet), and
     * the sequence number at or below which keys are left out (0 for a full snapshot).
     */
    record SnapshotPosition(UUID checkpoint, long manifestId, long walId, long seq, byte[] lastKey, long minSeq) {
        Map<String, Object> toOffset() {
            Map<String, Object> offset = new LinkedHashMap<>();
            offset.put(PHASE, SNAPSHOT);
            offset.put(CHECKPOINT, checkpoint.toString());
            offset.put(LAST_KEY, lastKey == null ? null : Base64.getEncoder().encodeToString(lastKey));
            offset.put(MANIFEST_ID, manifestId);
            offset.put(WAL_ID, walId);
            offset.put(SEQ, seq);
            offset.put(MIN_SEQ, minSeq);
            return offset;
        }

        SnapshotPosition after(byte[] key) {
            return new SnapshotPosition(checkpoint, manifestId, walId, seq, key, minSeq);
        }

        /** Where the stream continues once the snapshot is complete: the first WAL file after it. */
        StreamPosition streamStart() {
            return new StreamPosition(walId + 1, seq);
        }
    }

    /**
     * A stored offset: a {@link StreamPosition} or a {@link SnapshotPosition}.
     *
     * @throws ConnectException naming the offset when it is neither (written by something else)
     */
    static Object parse(Map<String, ?> offset) {
        try {
            Object phase = offset.get(PHASE);
            if (STREAM.equals(phase)) {
                return new StreamPosition(number(offset, WAL_ID), number(offset, SEQ));
            }
            if (SNAPSHOT.equals(phase)) {
                Object key = offset.get(LAST_KEY);
                return new SnapshotPosition(UUID.fromString((String) offset.get(CHECKPOINT)),
                        number(offset, MANIFEST_ID), number(offset, WAL_ID), number(offset, SEQ),
                        key == null ? null : Base64.getDecoder().decode((String) key), number(offset, MIN_SEQ));
            }
            throw new IllegalArgumentException("unknown phase " + phase);
        } catch (RuntimeException e) {
            throw new ConnectException("the stored source offset " + offset + " is not an offset of this connector ("
                    + e.getMessage() + "): reset the connector's offsets to start again", e);
        }
    }

    private static long number(Map<String, ?> offset, String field) {
        Object value = offset.get(field);
        if (!(value instanceof Number n)) {
            throw new IllegalArgumentException(field + " is not a number: " + value);
        }
        return n.longValue();
    }
}
