package io.slatedb.reader;

import io.slatedb.testing.ReadRecordingStore;
import io.slatedb.format.Ulid;
import io.slatedb.manifest.ExternalDb;
import io.slatedb.manifest.KeyBound;
import io.slatedb.manifest.LsmTree;
import io.slatedb.manifest.SortedRun;
import io.slatedb.manifest.SstView;
import io.slatedb.memtable.Memtable;
import io.slatedb.memtable.MemtableView;
import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.SstWriterOptions;
import io.slatedb.sst.ValueKind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Model-based test of the read path: random rows (values and tombstones, many versions per key,
 * sequence numbers that share batches and cross the signed boundary) spread over memtables, L0 SSTs
 * and sorted runs (small blocks, bloom filters, random visible ranges, some SSTs in a parent
 * database), read at random sequence numbers by point gets, range scans and prefix scans, must give
 * what a plain list of the visible rows gives.
 */
class LsmReaderModelTest {
    private static final String ROOT = "clone";
    private static final String PARENT_ROOT = "parent/db";
    private static final byte[] ALPHABET = {0x00, 'a', 'b', (byte) 0xFF};
    private static final List<byte[]> ALL_KEYS = allKeys();
    private static final long[] SEQ_BASES = {1, Long.MAX_VALUE - 200, -1000L};

    /** Completes store reads off the caller's thread in half the tries. */
    private static final ExecutorService COMPLETIONS = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "store-completions");
        thread.setDaemon(true);
        return thread;
    });

    /** A row before it gets a sequence number, and which source it goes to. */
    record RowSpec(byte[] key, boolean tombstone, byte[] value, OptionalLong expireTs, int slot, boolean duplicate) {
    }

    private enum Kind { MEMTABLE, L0, RUN }

    private static final class Source {
        final Kind kind;
        final List<RowSpec> specs = new ArrayList<>();
        final List<RowEntry> rows = new ArrayList<>();

        Source(Kind kind) {
            this.kind = kind;
        }
    }

    @Provide
    Arbitrary<List<RowSpec>> rowSpecs() {
        Arbitrary<byte[]> keys = Arbitraries.of(ALL_KEYS);
        Arbitrary<byte[]> values = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.bytes().array(byte[].class).ofMaxSize(12)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(100).ofMaxSize(300)));
        Arbitrary<OptionalLong> expiry = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(OptionalLong.empty())),
                // Expired long ago: reads must return such rows all the same.
                Tuple.of(1, Arbitraries.longs().between(1, 1000).map(OptionalLong::of)));
        return Combinators.combine(keys, Arbitraries.integers().between(0, 3), values, expiry,
                        Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(0, 7))
                .as((key, kind, value, expires, slot, dup) -> new RowSpec(key, kind == 0, value, expires, slot, dup == 0))
                // Uniform sizes: jqwik's default favours tiny lists, which leave most sources empty.
                .list().ofMaxSize(250).withSizeDistribution(RandomDistribution.uniform());
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void getsAndScansMatchTheModel(@ForAll("rowSpecs") List<RowSpec> specs, @ForAll long seed) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> check(specs, new Random(seed)));
    }

    private static void check(List<RowSpec> specs, Random random) throws Exception {
        List<Source> sources = sources(random);
        for (RowSpec spec : specs) {
            sources.get(spec.slot() % sources.size()).specs.add(spec);
        }
        long lastSeq = assignSeqs(sources, random);

        ReadRecordingStore store = new ReadRecordingStore(random.nextBoolean() ? COMPLETIONS : null);
        SstWriterOptions sstOptions = SstWriterOptions.DEFAULTS.withBlockSize(64 + random.nextInt(448))
                .withMinFilterKeys(random.nextInt(8));
        List<RowEntry> visibleRows = new ArrayList<>();
        List<MemtableView> memtables = new ArrayList<>();
        List<SstView> l0 = new ArrayList<>();
        List<SortedRun> runs = new ArrayList<>();
        List<Ulid> parentIds = new ArrayList<>();
        int runsLeft = (int) sources.stream().filter(s -> s.kind == Kind.RUN).count();
        for (Source source : sources) {
            List<RowEntry> sorted = new ArrayList<>(source.rows);
            sorted.sort(RowEntry.KEY_ASC_SEQ_DESC);
            switch (source.kind) {
                case MEMTABLE -> {
                    Memtable memtable = new Memtable();
                    sorted.forEach(memtable::put);
                    memtables.add(memtables.isEmpty() ? memtable : memtable.freeze(memtables.size()));
                    visibleRows.addAll(sorted);
                }
                case L0 -> {
                    if (!sorted.isEmpty()) {
                        l0.add(writeSst(store, sorted, sstOptions, random, parentIds, visibleRows));
                    }
                }
                case RUN -> {
                    List<SstView> ssts = new ArrayList<>();
                    for (List<RowEntry> part : split(sorted, random)) {
                        ssts.add(writeSst(store, part, sstOptions, random, parentIds, visibleRows));
                    }
                    if (!ssts.isEmpty()) {
                        runs.add(new SortedRun(runsLeft, ssts));
                    }
                    runsLeft--;
                }
            }
        }
        List<ExternalDb> externals = parentIds.isEmpty() ? List.of()
                : List.of(new ExternalDb(PARENT_ROOT, new UUID(1, 2), new UUID(3, 4), parentIds));
        long[] dataBudgets = {0, 4096, 1 << 20};
        long[] metaBudgets = {0, 2048, 1 << 20};
        int[] firstReads = {64, 1024, 64 * 1024};
        TableStore tables = new TableStore(store, ROOT, new TableStoreOptions(dataBudgets[random.nextInt(3)],
                metaBudgets[random.nextInt(3)], firstReads[random.nextInt(3)]));
        ReadView view = ReadView.of(memtables, new LsmTree(null, null, l0, runs), tables.paths(externals));
        LsmReader reader = new LsmReader(tables);
        Model model = new Model(visibleRows);

        long base = sources.isEmpty() ? 0 : lastSeq;
        List<Long> maxSeqs = new ArrayList<>(List.of(-1L));
        for (int i = 0; i < 3; i++) {
            maxSeqs.add(base - random.nextInt(400));
        }
        for (long maxSeq : maxSeqs) {
            for (byte[] key : ALL_KEYS) {
                RowEntry actual = reader.get(view, key, maxSeq, new GetParams(random.nextBoolean()))
                        .get(10, TimeUnit.SECONDS);
                assertEquals(model.get(key, maxSeq), actual, () -> "get " + hex(key) + " at " + Long.toUnsignedString(maxSeq));
            }
            for (int i = 0; i < 4; i++) {
                KeyRange range = randomRange(random);
                ScanParams params = new ScanParams(random.nextBoolean(), 1 + random.nextInt(2000), 1 + random.nextInt(4));
                try (LsmScan scan = reader.scan(view, range, maxSeq, params)) {
                    assertEquals(model.scan(range, maxSeq), scan.collectRemaining().get(10, TimeUnit.SECONDS),
                            () -> "scan " + range + " at " + Long.toUnsignedString(maxSeq));
                }
            }
            byte[] prefix = Arrays.copyOf(ALL_KEYS.get(random.nextInt(ALL_KEYS.size())), random.nextInt(3));
            try (LsmScan scan = reader.scanPrefix(view, prefix, maxSeq, ScanParams.DEFAULTS)) {
                assertEquals(model.scan(KeyRange.prefix(prefix), maxSeq), scan.collectRemaining().get(10, TimeUnit.SECONDS),
                        () -> "prefix scan " + hex(prefix));
            }
        }
    }

    /** The sources in precedence order: memtables, L0 SSTs, sorted runs; at least one. */
    private static List<Source> sources(Random random) {
        List<Source> sources = new ArrayList<>();
        int memtables = random.nextInt(3);
        int l0 = random.nextInt(4);
        int runs = random.nextInt(3);
        if (memtables + l0 + runs == 0) {
            memtables = 1;
        }
        for (int i = 0; i < memtables; i++) {
            sources.add(new Source(Kind.MEMTABLE));
        }
        for (int i = 0; i < l0; i++) {
            sources.add(new Source(Kind.L0));
        }
        for (int i = 0; i < runs; i++) {
            sources.add(new Source(Kind.RUN));
        }
        return sources;
    }

    /**
     * Numbers the rows as a writer would: older sources get lower sequence numbers, rows of one batch
     * share one (never two rows of a key), numbers have gaps. Rows marked duplicate are copied into the
     * next older source when it is not a sorted run, as a flushed memtable's rows are in both it and
     * its L0 SST while both are in a view. Returns the last sequence number.
     */
    private static long assignSeqs(List<Source> sources, Random random) {
        long seq = SEQ_BASES[random.nextInt(SEQ_BASES.length)];
        for (int s = sources.size() - 1; s >= 0; s--) {
            Source source = sources.get(s);
            seq += 1 + random.nextInt(2);
            Set<ByteBuffer> keysAtSeq = new HashSet<>();
            List<RowSpec> shuffled = new ArrayList<>(source.specs);
            Collections.shuffle(shuffled, random);
            for (RowSpec spec : shuffled) {
                if (random.nextInt(3) == 0 || !keysAtSeq.add(ByteBuffer.wrap(spec.key()))) {
                    seq += 1 + random.nextInt(2);
                    keysAtSeq.clear();
                    keysAtSeq.add(ByteBuffer.wrap(spec.key()));
                }
                RowEntry row = new RowEntry(spec.key(), spec.tombstone() ? ValueKind.TOMBSTONE : ValueKind.VALUE,
                        spec.tombstone() ? null : spec.value(), seq, OptionalLong.of(seq & 0xFFFF), spec.expireTs());
                source.rows.add(row);
                if (spec.duplicate() && s + 1 < sources.size() && sources.get(s + 1).kind != Kind.RUN) {
                    sources.get(s + 1).rows.add(row);
                }
            }
        }
        return seq;
    }

    /** Splits a run's rows into SSTs at random places (sometimes between versions of one key). */
    private static List<List<RowEntry>> split(List<RowEntry> rows, Random random) {
        if (rows.isEmpty()) {
            return List.of();
        }
        int parts = 1 + random.nextInt(Math.min(4, rows.size()));
        Set<Integer> cuts = new HashSet<>();
        while (cuts.size() < parts - 1) {
            cuts.add(1 + random.nextInt(rows.size() - 1));
        }
        List<Integer> sortedCuts = new ArrayList<>(cuts);
        Collections.sort(sortedCuts);
        sortedCuts.add(rows.size());
        List<List<RowEntry>> out = new ArrayList<>();
        int from = 0;
        for (int cut : sortedCuts) {
            out.add(rows.subList(from, cut));
            from = cut;
        }
        return out;
    }

    /** Writes an SST (in the clone's or the parent's root) with a random visible range. */
    private static SstView writeSst(ReadRecordingStore store, List<RowEntry> rows, SstWriterOptions options, Random random,
                                    List<Ulid> parentIds, List<RowEntry> visibleRows) {
        io.slatedb.manifest.KeyRange visible = random.nextBoolean() ? null : visibleRange(rows, random);
        boolean inParent = random.nextInt(4) == 0;
        SstView view = Ssts.write(store, inParent ? PARENT_ROOT : ROOT, rows, options, visible);
        if (inParent) {
            parentIds.add(view.sst().id());
        }
        for (RowEntry row : rows) {
            if (visible == null || contains(visible, row.key())) {
                visibleRows.add(row);
            }
        }
        return view;
    }

    /**
     * A visible range that overlaps the SST's keys (as SlateDB only makes such views): its start is
     * unbounded or included, as SlateDB requires.
     */
    private static io.slatedb.manifest.KeyRange visibleRange(List<RowEntry> rows, Random random) {
        int i = random.nextInt(rows.size());
        int j = i + random.nextInt(rows.size() - i);
        byte[] low = rows.get(i).key();
        byte[] high = rows.get(j).key();
        KeyBound start = random.nextInt(3) == 0 ? KeyBound.unbounded() : KeyBound.included(low);
        KeyBound end;
        int choice = random.nextInt(3);
        if (choice == 0) {
            end = KeyBound.unbounded();
        } else if (choice == 1 || Arrays.equals(low, high)) {
            end = KeyBound.included(high);
        } else {
            end = KeyBound.excluded(high);
        }
        return new io.slatedb.manifest.KeyRange(start, end);
    }

    private static boolean contains(io.slatedb.manifest.KeyRange range, byte[] key) {
        KeyBound start = range.start();
        KeyBound end = range.end();
        if (start.kind() != KeyBound.Kind.UNBOUNDED) {
            int cmp = Arrays.compareUnsigned(key, start.key());
            if (cmp < 0 || (cmp == 0 && start.kind() == KeyBound.Kind.EXCLUDED)) {
                return false;
            }
        }
        if (end.kind() != KeyBound.Kind.UNBOUNDED) {
            int cmp = Arrays.compareUnsigned(key, end.key());
            return cmp < 0 || (cmp == 0 && end.kind() == KeyBound.Kind.INCLUDED);
        }
        return true;
    }

    private static KeyRange randomRange(Random random) {
        byte[] start = random.nextInt(4) == 0 ? null : ALL_KEYS.get(random.nextInt(ALL_KEYS.size()));
        byte[] end = random.nextInt(4) == 0 ? null : ALL_KEYS.get(random.nextInt(ALL_KEYS.size()));
        return new KeyRange(start, random.nextBoolean(), end, random.nextBoolean());
    }

    private static List<byte[]> allKeys() {
        List<byte[]> keys = new ArrayList<>();
        for (int length = 1; length <= 3; length++) {
            addKeys(keys, new byte[length], 0);
        }
        keys.sort(Arrays::compareUnsigned);
        return List.copyOf(keys);
    }

    private static void addKeys(List<byte[]> keys, byte[] key, int at) {
        if (at == key.length) {
            keys.add(key.clone());
            return;
        }
        for (byte b : ALPHABET) {
            key[at] = b;
            addKeys(keys, key, at + 1);
        }
    }

    private static String hex(byte[] key) {
        return java.util.HexFormat.of().formatHex(key);
    }

    /** What a reader must see: per key, the visible row with the highest sequence number at or below maxSeq. */
    private record Model(List<RowEntry> rows) {
        RowEntry get(byte[] key, long maxSeq) {
            RowEntry best = null;
            for (RowEntry row : rows) {
                if (Arrays.equals(row.key(), key) && Long.compareUnsigned(row.seq(), maxSeq) <= 0
                        && (best == null || Long.compareUnsigned(row.seq(), best.seq()) > 0)) {
                    best = row;
                }
            }
            return best == null || best.isTombstone() ? null : best;
        }

        List<RowEntry> scan(KeyRange range, long maxSeq) {
            List<RowEntry> out = new ArrayList<>();
            for (byte[] key : ALL_KEYS) {
                if (range.contains(key)) {
                    RowEntry row = get(key, maxSeq);
                    if (row != null) {
                        out.add(row);
                    }
                }
            }
            return out;
        }
    }
}
