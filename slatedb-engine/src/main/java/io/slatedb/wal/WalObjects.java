package io.slatedb.wal;

import io.slatedb.format.DbLayout;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.SstBuilder;
import io.slatedb.sst.SstOpenResult;
import io.slatedb.sst.SstReader;
import io.slatedb.sst.SstType;
import io.slatedb.sst.SstWriterOptions;
import io.slatedb.CorruptObjectException;
import io.slatedb.store.ObjectNotFoundException;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.PutOptions;
import io.slatedb.util.Futures;

import io.slatedb.WalRange;
import io.slatedb.store.ObjectMetadata;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Reading and writing single WAL objects. */
public final class WalObjects {
    private WalObjects() {
    }

    /**
     * The bytes of a WAL fence: an SST with no rows. SlateDB 0.13+ writes a zero-byte object instead,
     * which 0.12 cannot read; an empty SST is readable by every version, and both read back as a file
     * without rows.
     */
    public static byte[] fenceBytes(SstWriterOptions options) {
        return SstBuilder.compacted(options).build().bytes();
    }

    /** The bytes of a WAL file holding {@code rows} (in sequence order). */
    public static byte[] encode(List<RowEntry> rows, SstWriterOptions options) {
        return encode(rows, options, 0);
    }

    /**
     * The bytes of a WAL file holding {@code rows}, whose encoding is expected to take about
     * {@code expectedBytes} (the buffer starts at that size).
     */
    public static byte[] encode(List<RowEntry> rows, SstWriterOptions options, long expectedBytes) {
        SstBuilder builder = SstBuilder.wal(options, expectedBytes);
        for (RowEntry row : rows) {
            builder.add(row);
        }
        return builder.build().bytes();
    }

    /** Writes the fence at {@code id}, create-if-absent. */
    public static CompletableFuture<Void> writeFence(ObjectStore store, DbLayout layout, long id,
                                                     SstWriterOptions options) {
        return store.put(layout.walSstPath(id), fenceBytes(options), PutOptions.CREATE).thenApply(r -> null);
    }

    /**
     * Reads WAL file {@code id}: empty when it does not exist; a fence (a zero-byte object or an SST
     * without rows) gives a file with no rows. A compacted SST with rows there is a data error.
     */
    public static CompletableFuture<Optional<WalFile>> read(ObjectStore store, DbLayout layout, long id) {
        String path = layout.walSstPath(id);
        return SstReader.open(store, path).handle((opened, failure) -> {
            if (failure != null) {
                if (Futures.unwrap(failure) instanceof ObjectNotFoundException) {
                    return CompletableFuture.completedFuture(Optional.<WalFile>empty());
                }
                return CompletableFuture.<Optional<WalFile>>failedFuture(Futures.unwrap(failure));
            }
            if (opened instanceof SstOpenResult.Opened o) {
                SstReader reader = o.reader();
                return reader.iterator().collectRemaining().thenApply(rows -> {
                    if (reader.info().type() != SstType.WAL && !rows.isEmpty()) {
                        throw new CorruptObjectException(path, "a compacted SST with rows in the WAL directory");
                    }
                    return Optional.of(new WalFile(id, rows));
                });
            }
            return CompletableFuture.completedFuture(Optional.of(new WalFile(id, List.of())));
        }).thenCompose(f -> f);
    }

    /** One stored WAL object as listed: its id and metadata. */
    public record Listed(long id, ObjectMetadata metadata) {
    }

    /** The WAL objects stored under {@code layout}'s {@code wal/} directory, by ascending id; other names are skipped. */
    public static CompletableFuture<List<Listed>> list(ObjectStore store, DbLayout layout) {
        String dir = layout.walDir() + "/";
        return store.listAll(dir).thenApply(objects -> {
            List<Listed> listed = new ArrayList<>();
            for (ObjectMetadata object : objects) {
                if (object.path().indexOf('/', dir.length()) >= 0) {
                    continue;
                }
                DbLayout.parseWalSstId(object.path()).ifPresent(id -> listed.add(new Listed(id, object)));
            }
            listed.sort(Comparator.comparing(Listed::id, Long::compareUnsigned));
            return listed;
        });
    }

    /** The oldest and newest stored WAL ids, or empty when no WAL object is stored. */
    public static CompletableFuture<Optional<WalRange>> range(ObjectStore store, DbLayout layout) {
        return list(store, layout).thenApply(listed -> listed.isEmpty() ? Optional.empty()
                : Optional.of(new WalRange(listed.get(0).id(), listed.get(listed.size() - 1).id())));
    }
}
