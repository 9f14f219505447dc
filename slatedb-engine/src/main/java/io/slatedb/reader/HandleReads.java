package io.slatedb.reader;

import io.slatedb.ErrorKind;
import io.slatedb.ReadOptions;
import io.slatedb.ScanOptions;
import io.slatedb.SlateDbException;
import io.slatedb.WriteBatch;
import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The reads of a public handle ({@code Db} and {@code DbReader}): checks the arguments, takes the
 * handle's current {@link ReadPoint} and runs the read on the shared {@link LsmReader}. The handles
 * differ only in where their read points come from.
 */
public final class HandleReads {
    private final LsmReader reader;
    private final ReadPoints points;

    public HandleReads(LsmReader reader, ReadPoints points) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.points = Objects.requireNonNull(points, "points");
    }

    /**
     * The visible row of {@code key} (a value, not a tombstone), or null. Argument errors come back as a
     * failed future.
     */
    public CompletableFuture<RowEntry> get(byte[] key, ReadOptions options) {
        try {
            checkKey(key);
            Objects.requireNonNull(options, "options");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        ReadPoint point = points.current(options.durabilityFilter(), options.dirty());
        return reader.get(point.view(), key, point.maxSeq(), GetParams.of(options.cacheBlocks()));
    }

    /** The visible rows with keys in {@code range}, in key order. */
    public LsmScan scan(KeyRange range, ScanOptions options) {
        Objects.requireNonNull(options, "options");
        ReadPoint point = points.current(options.durabilityFilter(), options.dirty());
        return reader.scan(point.view(), range, point.maxSeq(), paramsOf(options));
    }

    /**
     * Per key in {@code range}, the newest row as stored (tombstones and merge operands included) when
     * its sequence number is above {@code sinceSeq} (unsigned), in key order.
     */
    public LsmScan scanSince(KeyRange range, long sinceSeq, ScanOptions options) {
        Objects.requireNonNull(options, "options");
        ReadPoint point = points.current(options.durabilityFilter(), options.dirty());
        return reader.scanSince(point.view(), range, point.maxSeq(), sinceSeq, paramsOf(options));
    }

    private static ScanParams paramsOf(ScanOptions options) {
        return new ScanParams(options.cacheBlocks(), options.readAheadBytes(), options.maxFetchTasks());
    }

    /**
     * Checks a key as SlateDB does: not empty, at most {@link WriteBatch#MAX_KEY_BYTES}.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} for an empty or too long key
     */
    public static void checkKey(byte[] key) {
        if (key == null) {
            throw new NullPointerException("key");
        }
        if (key.length == 0) {
            throw new SlateDbException(ErrorKind.INVALID, "key must not be empty");
        }
        if (key.length > WriteBatch.MAX_KEY_BYTES) {
            throw new SlateDbException(ErrorKind.INVALID, "key of " + key.length
                    + " bytes is longer than the maximum of " + WriteBatch.MAX_KEY_BYTES);
        }
    }
}
