package io.slatedb.interop;

import io.slatedb.format.DbLayout;
import io.slatedb.format.Ulid;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestCodec;
import io.slatedb.manifest.SortedRun;
import io.slatedb.manifest.SstView;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.SstInfo;
import io.slatedb.sst.SstOpenResult;
import io.slatedb.sst.SstReader;
import io.slatedb.store.LocalDirectoryObjectStore;
import io.slatedb.store.ObjectMetadata;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.Futures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A database in a local directory store, decoded with this project's readers only: manifests through
 * {@link ManifestCodec}, WAL and compacted SSTs through {@link SstReader} over a
 * {@link LocalDirectoryObjectStore}. What the tests compare with what the Rust SlateDB wrote or read.
 */
public final class DecodedDatabase implements AutoCloseable {

    private final ObjectStore store;
    private final ObjectStore walStore;
    private final DbLayout layout;

    private DecodedDatabase(ObjectStore store, ObjectStore walStore, DbLayout layout) {
        this.store = store;
        this.walStore = walStore;
        this.layout = layout;
    }

    /** The database at {@code dbPath} in the store rooted at {@code storeDir}, its WAL in the same store. */
    public static DecodedDatabase open(Path storeDir, String dbPath) {
        return open(storeDir, null, dbPath);
    }

    /** As {@link #open(Path, String)}, with the WAL in the store rooted at {@code walStoreDir} if not null. */
    public static DecodedDatabase open(Path storeDir, Path walStoreDir, String dbPath) {
        ObjectStore store = new LocalDirectoryObjectStore(storeDir);
        ObjectStore walStore = walStoreDir == null ? store : new LocalDirectoryObjectStore(walStoreDir);
        return new DecodedDatabase(store, walStore, DbLayout.of(dbPath));
    }

    public DbLayout layout() {
        return layout;
    }

    /** One manifest object: its id, its bytes and what {@link ManifestCodec#decode} made of them. */
    public record ManifestObject(long id, byte[] bytes, Manifest manifest) {
    }

    /**
     * One WAL object: its id and size, whether it held an SST (0.12.1's fences do; a 0-byte fence does not),
     * the SST's info when it did, and its rows in stored order.
     */
    public record WalObject(long id, long sizeBytes, SstInfo info, List<RowEntry> rows) {
    }

    /** Every manifest, by ascending id. */
    public List<ManifestObject> manifests() {
        List<ManifestObject> out = new ArrayList<>();
        for (ObjectMetadata object : list(store, layout.manifestDir())) {
            long id = DbLayout.parseManifestId(object.path()).orElseThrow(
                    () -> new AssertionError("not a manifest name: " + object.path()));
            byte[] bytes = Futures.join(store.get(object.path())).data();
            out.add(new ManifestObject(id, bytes, ManifestCodec.decode(object.path(), bytes)));
        }
        return out;
    }

    /** The manifest with the highest id. */
    public ManifestObject latestManifest() {
        List<ManifestObject> all = manifests();
        if (all.isEmpty()) {
            throw new AssertionError("no manifest under " + layout.manifestDir());
        }
        return all.get(all.size() - 1);
    }

    /** Every WAL object, by ascending id, decoded. */
    public List<WalObject> walObjects() {
        List<WalObject> out = new ArrayList<>();
        for (ObjectMetadata object : list(walStore, layout.walDir())) {
            long id = DbLayout.parseWalSstId(object.path()).orElseThrow(
                    () -> new AssertionError("not a WAL SST name: " + object.path()));
            SstOpenResult opened = Futures.join(SstReader.open(walStore, object.path()));
            if (opened instanceof SstOpenResult.Opened o) {
                out.add(new WalObject(id, object.size(), o.reader().info(), rows(o.reader())));
            } else {
                out.add(new WalObject(id, object.size(), null, List.of()));
            }
        }
        return out;
    }

    /** The ids of every object in {@code compacted/}, ascending. */
    public List<Ulid> compactedIds() {
        return list(store, layout.compactedDir()).stream()
                .map(o -> DbLayout.parseCompactedSstId(o.path()).orElseThrow(
                        () -> new AssertionError("not a compacted SST name: " + o.path())))
                .toList();
    }

    /** The compacted SST {@code id}; it must exist and hold an SST. */
    public SstReader compacted(Ulid id) {
        return Futures.join(SstReader.openRequired(store, layout.compactedSstPath(id)));
    }

    /** Every row of an SST, in stored order. */
    public static List<RowEntry> rows(SstReader reader) {
        return Futures.join(reader.iterator().collectRemaining());
    }

    /**
     * The sources a reader of {@code manifest} merges, highest precedence first: the rows of the WAL objects
     * after {@code replay_after_wal_id} with seqs above {@code last_l0_seq}, each L0 SST (newest first), then
     * each sorted run (its SSTs' rows concatenated).
     */
    public List<List<RowEntry>> readSources(Manifest manifest) {
        List<List<RowEntry>> sources = new ArrayList<>();
        List<RowEntry> wal = new ArrayList<>();
        long lastL0Seq = manifest.core().lastL0Seq();
        for (WalObject object : walObjects()) {
            if (Long.compareUnsigned(object.id(), manifest.core().replayAfterWalId()) > 0) {
                object.rows().stream().filter(r -> Long.compareUnsigned(r.seq(), lastL0Seq) > 0).forEach(wal::add);
            }
        }
        sources.add(wal);
        for (SstView view : manifest.core().l0()) {
            sources.add(rows(compacted(view.sst().id())));
        }
        for (SortedRun run : manifest.core().compacted()) {
            List<RowEntry> rows = new ArrayList<>();
            for (SstView view : run.ssts()) {
                rows.addAll(rows(compacted(view.sst().id())));
            }
            sources.add(rows);
        }
        return sources;
    }

    private static List<ObjectMetadata> list(ObjectStore store, String dir) {
        return Futures.join(store.listAll(dir + "/"));
    }

    @Override
    public void close() {
        if (walStore != store) {
            walStore.close();
        }
        store.close();
    }
}
