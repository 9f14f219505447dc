package io.slatedb.interop;

import static io.slatedb.interop.RowAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slatedb.Compactor;
import io.slatedb.CompactorOptions;
import io.slatedb.Db;
import io.slatedb.DbIterator;
import io.slatedb.DbReader;
import io.slatedb.FlushType;
import io.slatedb.KeyValue;
import io.slatedb.MergeOperator;
import io.slatedb.MergeOptions;
import io.slatedb.Settings;
import io.slatedb.Ttl;
import io.slatedb.WriteBatch;
import io.slatedb.interop.RustResults.ReadResult;
import io.slatedb.interop.RustResults.Row;
import io.slatedb.store.LocalDirectoryObjectStore;
import io.slatedb.store.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Merge operands between this project and the Rust SlateDB 0.12.1 (through {@code @slatedb/uniffi}, whose
 * {@code DbBuilder} and {@code DbReaderBuilder} take a merge operator), both with the harness's "concat"
 * operator: merges we write (in L0, folded by our compactor into a sorted run, folded in a batch, and in a
 * WAL tail) read the same in Rust's {@code DbReader}, and merges Rust writes (in L0, in a batch, and in a
 * WAL tail its writer never flushed to L0) read the same in our {@link DbReader} and our writer, whose
 * later merges Rust then reads. Rows are compared whole: key, value, seq, create_ts and expire_ts.
 */
@RequiresNode
class MergeInteropLiveTest {
    private static final String DB = "db";
    private static final MergeOperator CONCAT = (key, existing, operand) -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (existing != null) {
            out.writeBytes(existing);
        }
        out.writeBytes(operand);
        return out.toByteArray();
    };
    private static final Settings SETTINGS = Settings.builder().sstBlockSize(1024).minFilterKeys(2)
            .flushInterval(Duration.ofMillis(10)).compactorOptions(null).garbageCollectorOptions(null).build();

    @Test
    @Timeout(120)
    void rustReadsTheMergesWeWrote(@TempDir Path dir) {
        RustSlateDb rust = RustSlateDb.get();
        try (ObjectStore store = new LocalDirectoryObjectStore(dir)) {
            try (Db db = Db.builder(DB, store).withSettings(SETTINGS).withMergeOperator(CONCAT).build()) {
                db.put(b("a"), b("1"));
                db.merge(b("a"), b("2"));
                db.merge(b("b"), b("x"));
                db.flush(FlushType.MEMTABLE);
                db.merge(b("a"), b("3"));
                db.write(new WriteBatch().put(b("c"), b("p")).merge(b("c"), b("q")).merge(b("b"), b("y")).merge(b("b"), b("z")));
                db.flush(FlushType.MEMTABLE);
            }
            CompactorOptions full = CompactorOptions.builder().minCompactionSources(2).maxCompactionSources(64)
                    .includeSizeThreshold(1e9).build();
            try (Compactor compactor = Compactor.builder(DB, store).withOptions(full).withSettings(SETTINGS)
                    .withMergeOperator(CONCAT).build()) {
                compactor.runUntilIdle();
                assertEquals(1, compactor.completedCompactions());
            }
            try (Db db = Db.builder(DB, store).withSettings(SETTINGS).withMergeOperator(CONCAT).build()) {
                db.merge(b("a"), b("4"), new MergeOptions(Ttl.expireAfter(Duration.ofHours(1))));
                db.merge(b("d"), b("w"));
                db.flush(FlushType.MEMTABLE);
                db.merge(b("a"), b("5")); // in the WAL only while Rust reads
                db.merge(b("e"), b("v"));
                db.flush(FlushType.WAL);

                List<Row> ours = rows(db);
                assertEquals(List.of("a=12345", "b=xyz", "c=pq", "d=w", "e=v"),
                        ours.stream().map(r -> r.keyUtf8() + "=" + new String(r.value(), StandardCharsets.UTF_8)).toList());
                ObjectNode job = RustSlateDb.readJob(dir, DB, "reader");
                job.put("mergeOperator", "concat");
                ReadResult theirs = rust.read(job);
                assertSameRows(ours, theirs.entries(), "Rust's DbReader over our merges");
            }
        }
    }

    @Test
    @Timeout(120)
    void weReadTheMergesRustWroteAndRustReadsOurs(@TempDir Path dir) {
        RustSlateDb rust = RustSlateDb.get();
        rust.write(RustWriteJob.create(dir, DB).concatMergeOperator().sstBlockSize("Block1Kib")
                .setting("compactor_options", null).setting("garbage_collector_options", null)
                .put(b("a"), b("1"))
                .merge(b("a"), b("2"))
                .merge(b("b"), b("x"))
                .flushMemtable()
                .merge(b("a"), b("3"))
                .batch(batch -> batch.merge(b("c"), b("p")).merge(b("c"), b("q")).merge(b("b"), b("y")))
                .flushWal()
                .abandon());
        ObjectNode job = RustSlateDb.readJob(dir, DB, "reader");
        job.put("mergeOperator", "concat");
        ReadResult theirs = rust.read(job);
        assertEquals(List.of("a=123", "b=xy", "c=pq"), theirs.entries().stream()
                .map(r -> r.keyUtf8() + "=" + new String(r.value(), StandardCharsets.UTF_8)).toList());
        try (ObjectStore store = new LocalDirectoryObjectStore(dir)) {
            try (DbReader reader = DbReader.builder(DB, store).withMergeOperator(CONCAT).build()) {
                assertSameRows(theirs.entries(), rows(reader), "our DbReader over Rust's merges");
            }
            try (Db db = Db.builder(DB, store).withSettings(SETTINGS).withMergeOperator(CONCAT).build()) {
                assertSameRows(theirs.entries(), rows(db), "our writer over Rust's merges, its WAL tail replayed");
                db.merge(b("a"), b("4"));
                db.merge(b("c"), b("r"));
            }
        }
        ReadResult after = rust.read(job);
        assertEquals(List.of("a=1234", "b=xy", "c=pqr"), after.entries().stream()
                .map(r -> r.keyUtf8() + "=" + new String(r.value(), StandardCharsets.UTF_8)).toList());
    }

    private static List<Row> rows(Db db) {
        return rows(db::scan);
    }

    private static List<Row> rows(DbReader reader) {
        return rows(reader::scan);
    }

    private static List<Row> rows(java.util.function.BiFunction<byte[], byte[], DbIterator> scan) {
        List<Row> rows = new ArrayList<>();
        try (DbIterator it = scan.apply(null, null)) {
            it.forEachRemaining(kv -> rows.add(row(kv)));
        }
        return rows;
    }

    private static Row row(KeyValue kv) {
        return new Row(kv.key(), kv.value(), kv.seq(), kv.createTs(),
                kv.expireTs().isPresent() ? kv.expireTs().getAsLong() : null);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
