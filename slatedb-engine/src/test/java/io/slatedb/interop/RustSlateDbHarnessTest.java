package io.slatedb.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slatedb.interop.RustResults.Checkpoint;
import io.slatedb.interop.RustResults.OpResult;
import io.slatedb.interop.RustResults.ReadResult;
import io.slatedb.interop.RustResults.Row;
import io.slatedb.interop.RustResults.WalFileDump;
import io.slatedb.interop.RustResults.WalRow;
import io.slatedb.interop.RustResults.WriteResult;
import io.slatedb.interop.RustWriteJob.Ttl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness itself: install, and jobs round-tripping through the real SlateDB 0.12.1. */
@RequiresNode
class RustSlateDbHarnessTest {

    private static final String DB = "db";

    @Test
    void installsThePinnedBindingWithAllCodecs() {
        RustSlateDb rust = RustSlateDb.get();

        assertEquals(RustSlateDb.BINDING_VERSION, rust.probe().bindingVersion());
        assertEquals(List.of("Snappy", "Zlib", "Lz4", "Zstd"), rust.probe().codecs());
        assertTrue(Files.isRegularFile(rust.workDirectory().resolve("node_modules/@slatedb/uniffi/package.json")));
    }

    @Test
    void writesAreReportedWithTheirSeqsAndReadBack(@TempDir Path store) {
        RustSlateDb rust = RustSlateDb.get();
        WriteResult written = rust.write(RustWriteJob.create(store, DB)
                .put("a", "1")
                .put(bytes("b"), bytes("two"), Ttl.expireAfter(Duration.ofHours(1)))
                .flushWal()
                .delete("a")
                .batch(b -> b.put("c", "").put("d", "4").delete("zz"))
                .flushMemtable()
                .reopen()
                .put("e", "5"));

        List<OpResult> writes = written.writes();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), writes.stream().map(OpResult::seq).toList());
        for (int i = 1; i < writes.size(); i++) {
            assertTrue(writes.get(i).createTs() >= writes.get(i - 1).createTs(), "create_ts is monotonic");
        }
        // The second writer (reopen) has epoch 2.
        assertEquals(2, written.manifest().path("writerEpoch").asLong());

        ReadResult read = rust.read(store, DB);
        long tsB = writes.get(1).createTs();
        long tsBatch = writes.get(3).createTs();
        assertEquals(List.of(
                new Row(bytes("b"), bytes("two"), 2L, tsB, tsB + 3_600_000L),
                new Row(bytes("c"), new byte[0], 4L, tsBatch, null),
                new Row(bytes("d"), bytes("4"), 4L, tsBatch, null),
                new Row(bytes("e"), bytes("5"), 5L, writes.get(4).createTs(), null)), read.entries());
    }

    @Test
    void walDumpShowsEveryRowPerFile(@TempDir Path store) {
        RustSlateDb rust = RustSlateDb.get();
        WriteResult written = rust.write(RustWriteJob.create(store, DB)
                .put("a", "1").flushWal()
                .delete("a").batch(b -> b.put("b", "2").put("c", "3")).flushWal());
        long ts1 = written.writes().get(0).createTs();
        long ts2 = written.writes().get(1).createTs();
        long ts3 = written.writes().get(2).createTs();

        List<WalFileDump> files = rust.walDump(store, DB);

        // WAL 1 is the writer's fence: an SST without rows. Then one file per flush.
        assertEquals(List.of(1L, 2L, 3L), files.stream().map(WalFileDump::id).toList());
        assertEquals(List.of(), files.get(0).rows());
        assertEquals(List.of(new WalRow("Value", bytes("a"), bytes("1"), 1, ts1, null)), files.get(1).rows());
        assertEquals(List.of(
                new WalRow("Tombstone", bytes("a"), null, 2, ts2, null),
                new WalRow("Value", bytes("b"), bytes("2"), 3, ts3, null),
                new WalRow("Value", bytes("c"), bytes("3"), 3, ts3, null)), files.get(2).rows());
    }

    @Test
    void mergeOperandsAndASeparateWalStoreRoundTrip(@TempDir Path dir) {
        RustSlateDb rust = RustSlateDb.get();
        Path store = dir.resolve("main");
        Path walStore = dir.resolve("wal");
        WriteResult written = rust.write(RustWriteJob.create(store, DB).walStore(walStore).concatMergeOperator()
                .put("m", "a")
                .merge(bytes("m"), bytes("b"))
                .flushWal()
                .merge(bytes("m"), bytes("c")));

        assertTrue(Files.isDirectory(walStore.resolve(DB).resolve("wal")), "the WAL went to the WAL store");
        assertTrue(Files.notExists(store.resolve(DB).resolve("wal")));
        ObjectNode job = RustSlateDb.readJob(store, DB, "reader");
        job.put("walStore", RustSlateDb.storeUrl(walStore));
        job.put("mergeOperator", "concat");
        ReadResult read = rust.read(job);
        long ts3 = written.writes().get(2).createTs();
        assertEquals(List.of(new Row(bytes("m"), bytes("abc"), 3L, ts3, null)), read.entries());
        List<WalFileDump> files = rust.walDump(store, DB, walStore);
        assertEquals(List.of(List.of("Value", "Merge"), List.of("Merge")), files.stream().skip(1)
                .map(f -> f.rows().stream().map(WalRow::kind).toList()).toList());
    }

    @Test
    void aCheckpointPinsTheStateOfItsManifest(@TempDir Path store) {
        RustSlateDb rust = RustSlateDb.get();
        rust.write(RustWriteJob.create(store, DB).put("a", "1").flushMemtable());
        Checkpoint checkpoint = rust.createCheckpoint(store, DB, Duration.ofHours(1));
        rust.write(RustWriteJob.create(store, DB).put("a", "2").flushMemtable());

        assertEquals(3600, checkpoint.expireTimeS() - checkpoint.createTimeS());
        assertEquals(List.of("1"), values(rust.readCheckpoint(store, DB, checkpoint.id())));
        assertEquals(List.of("2"), values(rust.read(store, DB)));
    }

    @Test
    void aFailedJobIsReportedWithSlateDbsError(@TempDir Path store) {
        RustSlateDb rust = RustSlateDb.get();
        RustSlateDbException e = assertThrows(RustSlateDbException.class,
                () -> rust.write(RustWriteJob.create(store, DB).setting("compression_codec", "Brotli")));

        assertTrue(e.getMessage().contains("[Invalid]") && e.getMessage().contains("Brotli"), e.getMessage());
    }

    @Test
    void aJobThatOutlivesItsTimeLimitIsStopped(@TempDir Path store) {
        RustSlateDb rust = RustSlateDb.get();
        // The job waits a minute for a compaction that cannot happen, so only its 300 ms limit can end it
        // (a job that fails fast, such as a read of a missing database, would race the limit).
        RustWriteJob job = RustWriteJob.create(store, DB).put("k", "v")
                .awaitCompaction(1_000, 0, Duration.ofMinutes(1))
                .timeout(Duration.ofMillis(300));

        RustSlateDbException e = assertThrows(RustSlateDbException.class, () -> rust.write(job));

        assertTrue(e.getMessage().contains("[Timeout]"), e.getMessage());
    }

    @Test
    void anAbandonedWriterLosesItsUnflushedWrites(@TempDir Path store) {
        RustSlateDb rust = RustSlateDb.get();
        rust.write(RustWriteJob.create(store, DB).put("kept", "1").flushWal().put("lost", "2").abandon());

        ReadResult read = rust.readAsWriter(store, DB, List.of(bytes("kept"), bytes("lost")));

        assertEquals(List.of("kept"), read.entries().stream().map(Row::keyUtf8).toList());
        assertNull(read.gets().get(1).value());
    }

    private static List<String> values(ReadResult read) {
        return read.entries().stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
