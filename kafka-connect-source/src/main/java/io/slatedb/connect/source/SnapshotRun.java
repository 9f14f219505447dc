package io.slatedb.connect.source;

import io.slatedb.Admin;
import io.slatedb.ChangeKind;
import io.slatedb.ChangeRow;
import io.slatedb.CheckpointCreateResult;
import io.slatedb.ChangeIterator;
import io.slatedb.CheckpointOptions;
import io.slatedb.DbIterator;
import io.slatedb.DbPosition;
import io.slatedb.DbReader;
import io.slatedb.DbReaderSnapshot;
import io.slatedb.ErrorKind;
import io.slatedb.KeyValue;
import io.slatedb.MergeOperator;
import io.slatedb.SlateDbException;
import io.slatedb.connect.SinkOffsetKeys;
import io.slatedb.connect.source.SourceOffsets.SnapshotPosition;
import io.slatedb.store.ObjectStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One snapshot of a database: a reader of a checkpoint taken for it, scanned in key order from after
 * the last key delivered, leaving out the connectors' reserved keys. A full snapshot yields the newest
 * version of each live key, as a put. A catch-up yields each key whose newest row is above
 * {@code minSeq}: a put, or a delete when that row is a tombstone (unless compaction already dropped
 * it), or a put of the merged value when it is a merge operand.
 */
final class SnapshotRun implements AutoCloseable {

    private final DbReader reader;
    private final DbReaderSnapshot snapshot;
    private final Runnable closeScan;
    private final Iterator<ChangeRow> rows;
    private SnapshotPosition position;

    private SnapshotRun(DbReader reader, SnapshotPosition position) {
        this.reader = reader;
        this.position = position;
        this.snapshot = reader.snapshot();
        byte[] start = position.lastKey() == null ? null : successor(position.lastKey());
        if (position.minSeq() == 0) {
            DbIterator live = snapshot.scan(start, null);
            this.closeScan = live::close;
            this.rows = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return live.hasNext();
                }

                @Override
                public ChangeRow next() {
                    return putOf(live.next());
                }
            };
        } else {
            ChangeIterator changes = snapshot.scanChangesSince(position.minSeq(), start, null);
            this.closeScan = changes::close;
            this.rows = changes;
        }
    }

    /**
     * A new snapshot at a new checkpoint named {@code checkpointName} that lives {@code lifetime} unless
     * refreshed, folding merge operands with {@code mergeOperator} (null: none).
     */
    static SnapshotRun begin(Admin admin, String path, ObjectStore store, String checkpointName, Duration lifetime,
                             long minSeq, MergeOperator mergeOperator) {
        CheckpointCreateResult checkpoint = admin.createDetachedCheckpoint(
                CheckpointOptions.builder().lifetime(lifetime).name(checkpointName).build());
        DbReader reader;
        try {
            reader = readerBuilder(path, store, mergeOperator).withCheckpointId(checkpoint.id()).build();
        } catch (RuntimeException e) {
            admin.deleteCheckpoint(checkpoint.id());
            throw e;
        }
        DbPosition at = reader.snapshot().position();
        return new SnapshotRun(reader, new SnapshotPosition(checkpoint.id(), at.manifestId(), at.walId(), at.seq(),
                null, minSeq));
    }

    /** The snapshot {@code position} continued, or empty when its checkpoint is gone (expired or deleted). */
    static Optional<SnapshotRun> resume(String path, ObjectStore store, SnapshotPosition position,
                                        MergeOperator mergeOperator) {
        DbReader reader;
        try {
            reader = readerBuilder(path, store, mergeOperator).withCheckpointId(position.checkpoint()).build();
        } catch (SlateDbException e) {
            if (e.kind() == ErrorKind.DATA) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(new SnapshotRun(reader, position));
    }

    private static DbReader.Builder readerBuilder(String path, ObjectStore store, MergeOperator mergeOperator) {
        DbReader.Builder builder = DbReader.builder(path, store);
        return mergeOperator == null ? builder : builder.withMergeOperator(mergeOperator);
    }

    /** Where the snapshot stands: its checkpoint and position, and the last key delivered. */
    SnapshotPosition position() {
        return position;
    }

    /**
     * Up to {@code max} more keys, looking at no more than {@code budget} stored ones; fewer (possibly
     * none) when the budget ran out first. Empty together with {@link #done()} at the end. Each is a put
     * or a delete, never a merge operand.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when a key's newest row is a merge
     *                          operand and no merge operator is configured
     */
    List<ChangeRow> next(int max, int budget) {
        List<ChangeRow> out = new ArrayList<>(Math.min(max, 1024));
        int looked = 0;
        while (out.size() < max && looked < budget && rows.hasNext()) {
            ChangeRow row = rows.next();
            looked++;
            position = position.after(row.key());
            if (!SinkOffsetKeys.isReserved(row.key())) {
                out.add(row.kind() == ChangeKind.MERGE ? merged(row) : row);
            }
        }
        return out;
    }

    /** A catch-up's merge operand as the put of the key's merged value, read at the snapshot. */
    private ChangeRow merged(ChangeRow operand) {
        // Without an operator the read fails with kind INVALID, as a full snapshot's scan does.
        return putOf(snapshot.getKeyValue(operand.key()));
    }

    private static ChangeRow putOf(KeyValue value) {
        return new ChangeRow(value.key(), ChangeKind.PUT, value.value(), value.seq(), OptionalLong.of(value.createTs()),
                value.expireTs());
    }

    /** Whether every key has been read. */
    boolean done() {
        return !rows.hasNext();
    }

    @Override
    public void close() {
        try {
            closeScan.run();
        } finally {
            reader.close();
        }
    }

    /** The smallest key after {@code key}. */
    static byte[] successor(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }
}
