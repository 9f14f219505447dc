package io.slatedb.connect.source;

import io.slatedb.Admin;
import io.slatedb.CheckpointCreateResult;
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
import java.util.List;
import java.util.Optional;

/**
 * One snapshot of a database: a reader of a checkpoint taken for it, scanned in key order from after
 * the last key delivered. Yields the newest version of each live key (leaving out the connectors' reserved
 * keys and, for a catch-up, keys whose newest version is at or below {@code minSeq}).
 */
final class SnapshotRun implements AutoCloseable {

    private final DbReader reader;
    private final DbIterator rows;
    private SnapshotPosition position;

    private SnapshotRun(DbReader reader, SnapshotPosition position) {
        this.reader = reader;
        this.position = position;
        DbReaderSnapshot snapshot = reader.snapshot();
        byte[] start = position.lastKey() == null ? null : successor(position.lastKey());
        this.rows = snapshot.scan(start, null);
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
     * none) when the budget ran out first. Empty together with {@link #done()} at the end.
     */
    List<KeyValue> next(int max, int budget) {
        List<KeyValue> out = new ArrayList<>(Math.min(max, 1024));
        int looked = 0;
        while (out.size() < max && looked < budget && rows.hasNext()) {
            KeyValue row = rows.next();
            looked++;
            position = position.after(row.key());
            if (SinkOffsetKeys.isReserved(row.key())
                    || (position.minSeq() != 0 && Long.compareUnsigned(row.seq(), position.minSeq()) <= 0)) {
                continue;
            }
            out.add(row);
        }
        return out;
    }

    /** Whether every key has been read. */
    boolean done() {
        return !rows.hasNext();
    }

    @Override
    public void close() {
        try {
            rows.close();
        } finally {
            reader.close();
        }
    }

    /** The smallest key after {@code key}. */
    static byte[] successor(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }
}
