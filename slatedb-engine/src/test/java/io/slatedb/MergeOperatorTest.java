package io.slatedb;

import io.slatedb.testing.MutableClock;
import io.slatedb.manifest.Manifest;
import io.slatedb.reader.LsmReader;
import io.slatedb.reader.ReadView;
import io.slatedb.reader.ScanParams;
import io.slatedb.reader.TableStore;
import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.RowIterator;
import io.slatedb.sst.ValueKind;
import io.slatedb.testing.ForwardingObjectStore;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.PutResult;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Merges through the public API: writes, reads, batches, TTLs, readers and compactions. */
@Timeout(60)
class MergeOperatorTest {
    private static final String PATH = "db";
    private static final MergeOperator CONCAT = (key, existing, operand) -> existing == null ? operand
            : (str(existing) + str(operand)).getBytes(StandardCharsets.UTF_8);
    private static final CompactorOptions FULL = CompactorOptions.builder().minCompactionSources(2)
            .maxCompactionSources(64).includeSizeThreshold(1e9).build();

    private final ObjectStore store = new InMemoryObjectStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Settings settings = Settings.builder().flushInterval(Duration.ofMillis(5))
            .compactorOptions(null).garbageCollectorOptions(null).build();

    private Db open(MergeOperator operator) {
        Db.Builder builder = Db.builder(PATH, store).withSettings(settings).withClock(clock);
        return (operator == null ? builder : builder.withMergeOperator(operator)).build();
    }

    @Test
    void readsFoldOperandsFromMemtablesL0AndSortedRunsOntoTheValueBelow() {
        try (Db db = open(CONCAT)) {
            db.put(b("k"), b("a"));
            db.flush(FlushType.MEMTABLE);
            db.merge(b("k"), b("b"));
            db.flush(FlushType.MEMTABLE);
            db.merge(b("k"), b("c"));
            assertEquals("abc", str(db.get(b("k"))));
            db.merge(b("n"), b("x"));
            db.merge(b("n"), b("y"));
            db.delete(b("d"));
            db.merge(b("d"), b("z"));
            assertEquals(List.of("d=z", "k=abc", "n=xy"), scan(db));
            db.delete(b("k"));
            db.merge(b("k"), b("e"));
            assertEquals("e", str(db.get(b("k"))));
        }
    }

    @Test
    void aFoldTakesTheNewestSeqTheLatestCreateTimeAndTheEarliestExpiry() {
        try (Db db = open(CONCAT)) {
            WriteHandle put = db.put(b("k"), b("a"), new PutOptions(Ttl.expireAfter(Duration.ofMillis(10_000))));
            clock.advance(Duration.ofMillis(5));
            WriteHandle merge = db.merge(b("k"), b("b"), new MergeOptions(Ttl.expireAfter(Duration.ofMillis(1_000))));
            clock.advance(Duration.ofMillis(5));
            WriteHandle last = db.merge(b("k"), b("c"), MergeOptions.NO_EXPIRY);
            KeyValue kv = db.getKeyValue(b("k"));
            assertEquals(new KeyValue(b("k"), b("abc"), last.seq(), last.createTs(),
                    OptionalLong.of(Math.min(put.createTs() + 10_000, merge.createTs() + 1_000))), kv);
        }
    }

    @Test
    void withoutAnOperatorMergesAreRefusedAndMergeRowsCannotBeRead() {
        try (Db db = open(null)) {
            long before = db.lastSeq();
            SlateDbException e = assertThrows(SlateDbException.class, () -> db.merge(b("k"), b("a")));
            assertEquals(ErrorKind.INVALID, e.kind());
            e = assertThrows(SlateDbException.class, () -> db.write(new WriteBatch().put(b("j"), b("1")).merge(b("k"), b("a"))));
            assertEquals(ErrorKind.INVALID, e.kind());
            assertEquals(before, db.lastSeq(), "nothing was written");
            assertNull(db.get(b("j")));
        }
        try (Db db = open(CONCAT)) {
            db.merge(b("k"), b("a"));
        }
        try (Db db = open(null)) {
            assertEquals(ErrorKind.INVALID, assertThrows(SlateDbException.class, () -> db.get(b("k"))).kind());
            assertEquals(ErrorKind.INVALID, assertThrows(SlateDbException.class, () -> scan(db)).kind());
        }
    }

    @Test
    void mergesOnOneKeyInABatchAreFoldedIntoOneRow() {
        try (Db db = open(CONCAT)) {
            db.put(b("k"), b("old"));
            WriteHandle handle = db.write(new WriteBatch().put(b("k"), b("a")).merge(b("k"), b("b")).merge(b("k"), b("c"))
                    .merge(b("m"), b("x")).merge(b("m"), b("y")));
            assertEquals("abc", str(db.get(b("k"))));
            assertEquals("xy", str(db.get(b("m"))));
            db.flush(FlushType.MEMTABLE);
            List<RowEntry> rows = versions(latestManifest());
            assertEquals(List.of(
                            new RowEntry(b("k"), ValueKind.VALUE, b("abc"), handle.seq(), OptionalLong.of(handle.createTs()), OptionalLong.empty()),
                            new RowEntry(b("k"), ValueKind.VALUE, b("old"), handle.seq() - 1, rows.get(1).createTs(), OptionalLong.empty()),
                            new RowEntry(b("m"), ValueKind.MERGE_OPERAND, b("xy"), handle.seq(), OptionalLong.of(handle.createTs()), OptionalLong.empty())),
                    rows);
        }
    }

    @Test
    void operandsOfOneKeyInABatchMustExpireTogether() {
        try (Db db = open(CONCAT)) {
            long before = db.lastSeq();
            WriteBatch batch = new WriteBatch().merge(b("k"), b("a"), MergeOptions.NO_EXPIRY)
                    .merge(b("k"), b("b"), new MergeOptions(Ttl.expireAfter(Duration.ofMillis(100))));
            assertEquals(ErrorKind.INVALID, assertThrows(SlateDbException.class, () -> db.write(batch)).kind());
            assertEquals(before, db.lastSeq());
        }
    }

    @Test
    void anOperatorFailureFailsTheCallWithKindInvalid() {
        MergeOperator failing = (key, existing, operand) -> {
            throw new IllegalStateException("no");
        };
        try (Db db = open(failing)) {
            db.merge(b("k"), b("a")); // one operand alone is stored as it is
            assertEquals(ErrorKind.INVALID, assertThrows(SlateDbException.class, () -> db.get(b("k"))).kind());
            assertEquals(ErrorKind.INVALID, assertThrows(SlateDbException.class,
                    () -> db.write(new WriteBatch().merge(b("j"), b("1")).merge(b("j"), b("2")))).kind());
        }
    }

    @Test
    void theBatchFormIsUsedWhenTheOperatorHasOne() {
        AtomicInteger batchCalls = new AtomicInteger();
        MergeOperator counting = new MergeOperator() {
            @Override
            public byte[] merge(byte[] key, byte[] existing, byte[] operand) {
                throw new AssertionError("the batch form is used");
            }

            @Override
            public byte[] mergeBatch(byte[] key, byte[] existing, List<byte[]> operands) {
                batchCalls.incrementAndGet();
                StringBuilder s = new StringBuilder(existing == null ? "" : str(existing));
                operands.forEach(o -> s.append(str(o)));
                return b(s.toString());
            }
        };
        try (Db db = open(counting)) {
            db.put(b("k"), b("a"));
            db.merge(b("k"), b("b"));
            db.merge(b("k"), b("c"));
            assertEquals("abc", str(db.get(b("k"))));
            assertEquals(1, batchCalls.get(), "one call folds both operands");
        }
    }

    @Test
    void aDbReaderWithTheOperatorReadsMergesFromTheTreeAndTheWal() {
        try (Db db = open(CONCAT)) {
            db.put(b("k"), b("a"));
            db.merge(b("k"), b("b"));
            db.flush(FlushType.MEMTABLE);
            db.merge(b("k"), b("c")); // only in the WAL
            db.merge(b("w"), b("1"));
            db.flush(FlushType.WAL);
            try (DbReader reader = DbReader.builder(PATH, store).withMergeOperator(CONCAT).build()) {
                assertEquals("abc", str(reader.get(b("k"))));
                assertEquals("1", str(reader.get(b("w"))));
            }
            try (DbReader reader = DbReader.builder(PATH, store).build()) {
                assertEquals(ErrorKind.INVALID, assertThrows(SlateDbException.class, () -> reader.get(b("k"))).kind());
            }
        }
    }

    @Test
    void aCompactionWritesTheFoldAsAValueWhenItReachesTheBase() {
        try (Db db = open(CONCAT)) {
            db.put(b("k"), b("a"));
            db.flush(FlushType.MEMTABLE);
            db.merge(b("k"), b("b"));
            db.merge(b("j"), b("x"));
            db.flush(FlushType.MEMTABLE);
            db.merge(b("k"), b("c"));
            WriteHandle last = db.merge(b("j"), b("y"));
            db.flush(FlushType.MEMTABLE);
            compact();
            Manifest compacted = latestManifest();
            assertEquals(0, compacted.core().tree().l0().size());
            List<RowEntry> rows = versions(compacted);
            // The output is the oldest run: "j" has no base, so its fold is a value over nothing.
            assertEquals(List.of("j=VALUE:xy@" + last.seq(), "k=VALUE:abc@" + (last.seq() - 1)),
                    rows.stream().map(r -> str(r.key()) + "=" + r.kind() + ":" + str(r.value()) + "@" + r.seq()).toList());
            assertEquals("abc", str(db.get(b("k"))));
            assertEquals("xy", str(db.get(b("j"))));
        }
    }

    @Test
    void aCompactionDropsExpiredOperandsWhichReadsBeforeItStillFold() {
        try (Db db = open(CONCAT)) {
            db.put(b("k"), b("a"), PutOptions.NO_EXPIRY);
            db.merge(b("k"), b("b"), new MergeOptions(Ttl.expireAfter(Duration.ofMillis(100))));
            db.merge(b("k"), b("c"), MergeOptions.NO_EXPIRY);
            db.flush(FlushType.MEMTABLE);
            clock.advance(Duration.ofMillis(200));
            db.put(b("z"), b("later")); // its L0 flush moves the manifest's clock tick past the expiry
            db.flush(FlushType.MEMTABLE);
            assertEquals("abc", str(db.get(b("k"))), "reads do not consult the clock");
        }
        compact();
        List<RowEntry> k = versions(latestManifest()).stream().filter(r -> str(r.key()).equals("k")).toList();
        assertEquals(List.of("MERGE_OPERAND:c", "VALUE:a"), k.stream().map(r -> r.kind() + ":" + str(r.value())).toList(),
                "the expired operand is gone; the others stay apart, as they expire differently");
        try (Db db = open(CONCAT)) {
            assertEquals("ac", str(db.get(b("k"))));
        }
    }

    @Test
    void theChangeFeedDeliversOperandsRawAndABatchsFoldAsOneOperand() {
        try (Db db = open(CONCAT)) {
            db.put(b("k"), b("a"));
            db.merge(b("k"), b("b"));
            db.write(new WriteBatch().merge(b("m"), b("x")).merge(b("m"), b("y")));
            db.flush();
        }
        List<String> changes = new ArrayList<>();
        try (WalChangeFeed feed = WalChangeFeed.builder(PATH, store).build()) {
            for (var batch = feed.poll(Duration.ZERO); batch.isPresent(); batch = feed.poll(Duration.ZERO)) {
                batch.get().rows().forEach(r -> changes.add(r.kind() + " " + str(r.key()) + "=" + str(r.value())));
            }
        }
        assertEquals(List.of("PUT k=a", "MERGE k=b", "MERGE m=xy"), changes);
    }

    @Test
    void theWritersEmbeddedCompactorFoldsWithTheWritersOperator() {
        ManifestWrites watched = new ManifestWrites(store);
        Settings embedded = settings.toBuilder().compactorOptions(FULL.toBuilder()
                .pollInterval(Duration.ofMillis(10)).build()).build();
        try (Db db = Db.builder(PATH, watched).withSettings(embedded).withClock(clock).withMergeOperator(CONCAT).build()) {
            db.put(b("k"), b("a"));
            db.flush(FlushType.MEMTABLE);
            db.merge(b("k"), b("b"));
            db.flush(FlushType.MEMTABLE);
            while (true) {
                CompletableFuture<Void> nextWrite = watched.next;
                Manifest manifest = latestManifest();
                if (manifest.core().tree().l0().isEmpty() && !manifest.core().compacted().isEmpty()) {
                    break;
                }
                nextWrite.join(); // the compactor commits with a manifest write
            }
            assertEquals(List.of("VALUE:ab"), versions(latestManifest()).stream()
                    .map(r -> r.kind() + ":" + str(r.value())).toList());
            assertEquals("ab", str(db.get(b("k"))));
        }
    }

    /** Completes {@link #next} at each manifest write, so a test can wait for the next one. */
    private static final class ManifestWrites extends ForwardingObjectStore {
        volatile CompletableFuture<Void> next = new CompletableFuture<>();

        ManifestWrites(ObjectStore inner) {
            super(inner, "manifest-writes");
        }

        @Override
        public CompletableFuture<PutResult> put(String path, byte[] data, io.slatedb.store.PutOptions options) {
            return super.put(path, data, options).whenComplete((result, error) -> {
                if (path.contains("/manifest/")) {
                    CompletableFuture<Void> done = next;
                    next = new CompletableFuture<>();
                    done.complete(null);
                }
            });
        }
    }

    private void compact() {
        try (Compactor compactor = Compactor.builder(PATH, store).withOptions(FULL).withSettings(settings)
                .withClock(clock).withMergeOperator(CONCAT).build()) {
            compactor.runUntilIdle();
        }
    }

    private Manifest latestManifest() {
        try (Admin admin = Admin.builder(PATH, store).build()) {
            return admin.readManifest().orElseThrow().internal();
        }
    }

    /** Every row version the manifest's tree holds, as stored. */
    private List<RowEntry> versions(Manifest manifest) {
        TableStore tables = new TableStore(store, PATH);
        ReadView view = ReadView.of(List.of(), manifest.core().tree(), tables.paths(manifest.externalDbs()));
        RowIterator rows = new LsmReader(tables).versions(view, KeyRange.all(), -1L, ScanParams.DEFAULTS);
        List<RowEntry> all = new ArrayList<>();
        for (RowEntry row = Futures.join(rows.next()); row != null; row = Futures.join(rows.next())) {
            all.add(row);
        }
        return all;
    }

    private static List<String> scan(ReadMethods db) {
        List<String> pairs = new ArrayList<>();
        try (DbIterator it = db.scan(null, null)) {
            it.forEachRemaining(kv -> pairs.add(str(kv.key()) + "=" + str(kv.value())));
        }
        return pairs;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
