package io.slatedb.compaction;

import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.SortedRun;
import io.slatedb.manifest.SstView;
import io.slatedb.reader.LsmReader;
import io.slatedb.reader.ReadView;
import io.slatedb.reader.ScanParams;
import io.slatedb.reader.TableStore;
import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.Futures;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test helpers: what a manifest's tree holds, read with the engine's read path, and its shape. */
public final class TreeContents {
    private TreeContents() {
    }

    /** The visible key/value pairs of {@code manifest}'s tree (no memtables, no WAL), as UTF-8 strings. */
    public static SortedMap<String, String> read(ObjectStore store, String path, Manifest manifest) {
        TableStore tables = new TableStore(store, path);
        ReadView view = ReadView.of(List.of(), manifest.core().tree(), tables.paths(manifest.externalDbs()));
        SortedMap<String, String> rows = new TreeMap<>();
        try (var scan = new LsmReader(tables).scan(view, KeyRange.all(), -1L, ScanParams.DEFAULTS)) {
            for (RowEntry row = Futures.join(scan.next()); row != null; row = Futures.join(scan.next())) {
                rows.put(new String(row.key(), StandardCharsets.UTF_8), new String(row.value(), StandardCharsets.UTF_8));
            }
        }
        return rows;
    }

    /** How many row versions (tombstones included) {@code manifest}'s tree holds. */
    public static long countVersions(ObjectStore store, String path, Manifest manifest) {
        TableStore tables = new TableStore(store, path);
        ReadView view = ReadView.of(List.of(), manifest.core().tree(), tables.paths(manifest.externalDbs()));
        var rows = new LsmReader(tables).versions(view, KeyRange.all(), -1L, ScanParams.DEFAULTS);
        long count = 0;
        while (Futures.join(rows.next()) != null) {
            count++;
        }
        return count;
    }

    /** Asserts every sorted run's SSTs are in key order and do not overlap: no row was written twice. */
    public static void assertRunsDisjoint(Manifest manifest) {
        for (SortedRun run : manifest.core().compacted()) {
            byte[] previousLast = null;
            for (SstView view : run.ssts()) {
                byte[] first = view.sst().info().firstEntry();
                if (previousLast != null) {
                    assertTrue(Arrays.compareUnsigned(previousLast, first) < 0,
                            "run " + run.id() + ": SSTs overlap or are out of order");
                }
                previousLast = view.sst().info().lastEntry();
            }
        }
    }
}
