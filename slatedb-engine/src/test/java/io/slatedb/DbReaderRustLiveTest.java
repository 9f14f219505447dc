package io.slatedb;

import io.slatedb.interop.RequiresNode;
import io.slatedb.interop.RustResults;
import io.slatedb.interop.RustSlateDb;
import io.slatedb.interop.RustWriteJob;
import io.slatedb.interop.WriteLog;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.ValueKind;
import io.slatedb.store.LocalDirectoryObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our {@link DbReader} follows a database that the Rust SlateDB 0.12.1 writes at the same time (WAL
 * flushes, memtable flushes, its own compactor): after every poll the reader shows exactly the database
 * as of its sequence number, and once the writer is done, everything it wrote.
 */
@RequiresNode
@Timeout(180)
class DbReaderRustLiveTest {
    private static final String DB = "db";

    @TempDir
    Path dir;

    @Test
    void followsADatabaseTheRustLibraryIsWriting() throws Exception {
        RustSlateDb rust = RustSlateDb.get();
        RustWriteJob create = RustWriteJob.create(dir, DB).put("seed", "0").flushMemtable();
        WriteLog created = WriteLog.fromJob(create, rust.write(create));

        RustWriteJob job = RustWriteJob.create(dir, DB).timeout(Duration.ofSeconds(120));
        for (int i = 0; i < 600; i++) {
            String key = "k" + (i % 53);
            if (i % 11 == 5) {
                job.delete(key);
            } else if (i % 17 == 3) {
                int n = i;
                job.batch(b -> b.put("b" + n, "x" + n).delete("k" + ((n + 1) % 53)));
            } else {
                job.put(key, "v" + i);
            }
            if (i % 5 == 4) {
                job.flushWal();
            }
            if (i % 150 == 149) {
                job.flushMemtable();
            }
        }

        List<Snapshot> snapshots = new ArrayList<>();
        try (LocalDirectoryObjectStore store = new LocalDirectoryObjectStore(dir);
             DbReader reader = DbReader.builder(DB, store).withOptions(DbReaderOptions.builder()
                     .manifestPollInterval(Duration.ofMinutes(5)).build()).build()) {
            CompletableFuture<RustResults.WriteResult> writing = CompletableFuture.supplyAsync(() -> rust.write(job));
            while (!writing.isDone()) {
                reader.pollNow();
                snapshots.add(snapshot(reader));
            }
            WriteLog written = WriteLog.fromJob(job, writing.get(150, TimeUnit.SECONDS));
            reader.pollNow();
            Snapshot last = snapshot(reader);
            snapshots.add(last);

            List<RowEntry> all = new ArrayList<>(created.writes());
            all.addAll(written.writes());
            long lastSeq = all.get(all.size() - 1).seq();
            assertEquals(lastSeq, last.seq(), "the reader caught up with every durable write");
            for (Snapshot s : snapshots) {
                assertEquals(model(all, s.seq()), s.rows(), "the reader's view at sequence number " + s.seq());
            }
            long distinct = snapshots.stream().mapToLong(Snapshot::seq).distinct().count();
            assertTrue(distinct >= 2, "polls saw the database move: " + distinct + " states");
        }
    }

    record Snapshot(long seq, TreeMap<String, String> rows) {
    }

    /** What the reader shows now; only this thread's polls change its state, so the scan is at {@code seq}. */
    private static Snapshot snapshot(DbReader reader) {
        long seq = reader.core().state().maxSeq();
        TreeMap<String, String> rows = new TreeMap<>();
        try (DbIterator it = reader.scan(null, null)) {
            it.forEachRemaining(kv -> rows.put(s(kv.key()), s(kv.value())));
        }
        return new Snapshot(seq, rows);
    }

    /** The visible database at {@code seq}: per key the newest write at or below it, deletes hiding the key. */
    private static TreeMap<String, String> model(List<RowEntry> writes, long seq) {
        TreeMap<String, RowEntry> newest = new TreeMap<>();
        for (RowEntry row : writes) {
            if (row.seq() <= seq) {
                newest.merge(s(row.key()), row, (a, b) -> b.seq() >= a.seq() ? b : a);
            }
        }
        TreeMap<String, String> visible = new TreeMap<>();
        newest.forEach((k, row) -> {
            if (row.kind() == ValueKind.VALUE) {
                visible.put(k, s(row.value()));
            }
        });
        return visible;
    }

    private static String s(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.chars().allMatch(c -> c >= 32 && c < 127) ? text : HexFormat.of().formatHex(bytes);
    }
}
