package io.slatedb.interop;

import io.slatedb.CompressionCodec;
import io.slatedb.format.DbLayout;
import io.slatedb.format.UlidGenerator;
import io.slatedb.manifest.CompactedSst;
import io.slatedb.manifest.LsmTree;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestCodec;
import io.slatedb.manifest.ManifestCore;
import io.slatedb.manifest.SortedRun;
import io.slatedb.manifest.SstView;
import io.slatedb.sst.EncodedSst;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.SstBuilder;
import io.slatedb.sst.SstWriterOptions;
import io.slatedb.sst.ValueKind;
import io.slatedb.store.LocalDirectoryObjectStore;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.PutOptions;
import io.slatedb.util.Futures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;

/**
 * A complete SlateDB database written with this project's code only ({@link SstBuilder},
 * {@link ManifestCodec}, {@link LocalDirectoryObjectStore}), for the Rust SlateDB to read. All SSTs use one
 * codec, 1 KiB blocks and SlateDB's default filter settings (a legacy bloom filter from 1000 rows on):
 *
 * <ul>
 *   <li>sorted run 0: two SSTs splitting {@value #KEYS} keys (one version each, some with a TTL) by range;</li>
 *   <li>two L0 SSTs (newest first in the manifest) overwriting and deleting keys, with several versions of
 *       some keys in one SST;</li>
 *   <li>WAL 1: an empty SST, the fence SlateDB 0.12.1 writes (0.12.1 cannot read a 0-byte WAL object);
 *       WAL 2 and 3: the rows of the two L0 SSTs, covered by {@code replay_after_wal_id = 3}; WAL 4: a
 *       second writer's fence; WAL 5: rows above {@code last_l0_seq} (overwrites, deletes, a batch sharing
 *       one seq, an empty and a 20 KB value); WAL 6: more such rows, written after the manifest
 *       ({@code wal_id_last_seen = 5}), as a writer's WAL flushes are;</li>
 *   <li>{@code manifest/…1.manifest}: initialized, writer epoch 1, the L0 list and the sorted run,
 *       {@code last_l0_seq} and {@code last_l0_clock_tick} of the newest L0 row, no checkpoints.</li>
 * </ul>
 * Row create_ts values lie some minutes in the past, so a Rust writer that opens the database later keeps
 * its clock ahead of them.
 */
final class JavaWrittenDatabase {

    static final int KEYS = 2400;
    static final int BLOCK_SIZE = 1024;
    static final long REPLAY_AFTER_WAL_ID = 3;
    static final long NEXT_WAL_SST_ID = 6;
    static final int WAL_OBJECTS = 6;

    private final Random random;
    private final long baseTimeMillis;
    private final List<RowEntry> writes = new ArrayList<>();
    private long seq;

    private final Manifest manifest;
    private final List<List<RowEntry>> walObjects;
    private final List<byte[]> walObjectBytes = new ArrayList<>();
    private final List<EncodedSst> sortedRunSsts = new ArrayList<>();
    private final List<EncodedSst> l0Ssts = new ArrayList<>();

    private JavaWrittenDatabase(ObjectStore store, DbLayout layout, CompressionCodec codec, long seed) {
        this.random = new Random(seed);
        this.baseTimeMillis = System.currentTimeMillis() - 600_000;
        SstWriterOptions options = SstWriterOptions.DEFAULTS.withBlockSize(BLOCK_SIZE).withCompression(codec);
        UlidGenerator ulids = new UlidGenerator(Clock.systemUTC(), new Random(seed));

        // Sorted run 0: every key once, split in two SSTs by key range.
        List<RowEntry> base = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            byte[] value = value(i % 50 == 0 ? 0 : i % 97 == 0 ? 3000 : 10 + random.nextInt(60));
            base.add(i % 13 == 0 ? put(key(i), value, 86_400_000L) : put(key(i), value));
        }
        sortedRunSsts.add(compacted(options, base.subList(0, KEYS / 2)));
        sortedRunSsts.add(compacted(options, base.subList(KEYS / 2, KEYS)));

        // L0, older: the even keys overwritten (every 7th deleted), every 20th written twice.
        List<RowEntry> olderL0 = new ArrayList<>();
        for (int i = 0; i < KEYS; i += 2) {
            olderL0.add(i % 7 == 0 ? delete(key(i)) : put(key(i), value(5 + random.nextInt(80))));
        }
        for (int i = 0; i < KEYS; i += 20) {
            olderL0.add(put(key(i), value(1 + random.nextInt(40))));
        }
        // L0, newer: keys not divisible by 3 (every 5th deleted), some deleted ones above put back, every
        // 9th written twice.
        List<RowEntry> newerL0 = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            if (i % 3 != 0) {
                newerL0.add(i % 5 == 0 ? delete(key(i)) : put(key(i), value(random.nextInt(100))));
            }
        }
        for (int i = 1; i < KEYS; i += 9) {
            if (i % 3 != 0) {
                newerL0.add(i % 2 == 0 ? delete(key(i)) : put(key(i), value(random.nextInt(30))));
            }
        }
        l0Ssts.add(compacted(options, olderL0));
        l0Ssts.add(compacted(options, newerL0));
        long lastL0Seq = seq;
        long lastL0ClockTick = createTs(lastL0Seq);

        // Above last_l0_seq: WAL 5 (recorded in the manifest) and WAL 6 (written after it).
        List<RowEntry> wal5 = new ArrayList<>();
        wal5.add(put(utf8("wal-only-empty"), new byte[0]));
        wal5.add(put(key(4), value(20_000)));
        wal5.add(delete(key(5)));
        wal5.add(delete(key(1)));
        wal5.addAll(batch(List.of(key(9), utf8("wal-only-batch"), key(8)), Arrays.asList(null, value(12), value(7))));
        wal5.add(put(key(2), value(33), 3_600_000L));
        List<RowEntry> wal6 = new ArrayList<>();
        wal6.add(put(key(5), value(9)));
        wal6.add(delete(utf8("never-written")));
        wal6.add(put(key(KEYS - 1), value(1)));
        wal6.add(delete(key(4)));

        walObjects = List.of(List.of(), olderL0, newerL0, List.of(), wal5, wal6);
        for (List<RowEntry> rows : walObjects) {
            SstBuilder wal = rows.isEmpty() ? SstBuilder.compacted(options) : SstBuilder.wal(options);
            rows.forEach(wal::add);
            walObjectBytes.add(wal.build().bytes());
        }

        List<SstView> runViews = new ArrayList<>();
        for (EncodedSst sst : sortedRunSsts) {
            runViews.add(SstView.of(new CompactedSst(ulids.next(), sst.info(), sst.formatVersion())));
        }
        List<SstView> l0Views = new ArrayList<>();
        for (EncodedSst sst : l0Ssts) {
            l0Views.add(0, SstView.of(new CompactedSst(ulids.next(), sst.info(), sst.formatVersion())));
        }
        ManifestCore initial = ManifestCore.initial();
        ManifestCore core = new ManifestCore(true, new LsmTree(null, null, l0Views, List.of(new SortedRun(0, runViews))),
                List.of(), null, NEXT_WAL_SST_ID, REPLAY_AFTER_WAL_ID, lastL0ClockTick, lastL0Seq, lastL0Seq,
                initial.sequenceTracker(), List.of(), null);
        manifest = new Manifest(List.of(), core, 1, 0);

        for (int i = 0; i < sortedRunSsts.size(); i++) {
            put(store, layout.compactedSstPath(runViews.get(i).sst().id()), sortedRunSsts.get(i).bytes());
        }
        for (int i = 0; i < l0Ssts.size(); i++) {
            put(store, layout.compactedSstPath(l0Views.get(l0Views.size() - 1 - i).sst().id()), l0Ssts.get(i).bytes());
        }
        for (int i = 0; i < walObjectBytes.size(); i++) {
            put(store, layout.walSstPath(i + 1), walObjectBytes.get(i));
        }
        put(store, layout.manifestPath(1), ManifestCodec.encode(manifest));
    }

    /** Writes the database at {@code dbPath} in the local directory store rooted at {@code storeDir}. */
    static JavaWrittenDatabase write(Path storeDir, String dbPath, CompressionCodec codec, long seed) {
        try (ObjectStore store = new LocalDirectoryObjectStore(storeDir)) {
            return new JavaWrittenDatabase(store, DbLayout.of(dbPath), codec, seed);
        }
    }

    /** The manifest written as {@code manifest/…1.manifest}. */
    Manifest manifest() {
        return manifest;
    }

    /** Every row written anywhere (sorted run, L0, WAL), in seq order. */
    List<RowEntry> writes() {
        return writes;
    }

    /** The rows of WAL objects 1 to {@value #WAL_OBJECTS} (fences empty). */
    List<List<RowEntry>> walObjects() {
        return walObjects;
    }

    /** The stored bytes of WAL objects 1 to {@value #WAL_OBJECTS}. */
    List<byte[]> walObjectBytes() {
        return walObjectBytes;
    }

    /** The rows above {@code last_l0_seq}: what a writer opening the database replays from the WAL. */
    List<RowEntry> unflushedWrites() {
        return writes.stream().filter(r -> r.seq() > manifest.core().lastL0Seq()).toList();
    }

    /** Every key written, in key order, and a few never written. */
    List<byte[]> keysToRead() {
        List<byte[]> keys = new ArrayList<>(writes.stream().map(RowEntry::key).distinct().toList());
        keys.add(utf8("absent-key"));
        keys.add(utf8("key-"));
        keys.add(utf8("key-99999"));
        keys.sort(Arrays::compareUnsigned);
        List<byte[]> unique = new ArrayList<>();
        for (byte[] k : keys) {
            if (unique.isEmpty() || !Arrays.equals(unique.get(unique.size() - 1), k)) {
                unique.add(k);
            }
        }
        return unique;
    }

    static byte[] key(int i) {
        return utf8(String.format("key-%05d", i));
    }

    private long createTs(long s) {
        return baseTimeMillis + s / 4;
    }

    private RowEntry put(byte[] key, byte[] value) {
        return record(row(key, value, ++seq, OptionalLong.empty()));
    }

    private RowEntry put(byte[] key, byte[] value, long ttlMillis) {
        long s = ++seq;
        return record(row(key, value, s, OptionalLong.of(createTs(s) + ttlMillis)));
    }

    private RowEntry delete(byte[] key) {
        return record(row(key, null, ++seq, OptionalLong.empty()));
    }

    /**
     * One write batch: rows sharing one seq and create_ts, in key order, as SlateDB stores them. Null values
     * are deletes.
     */
    private List<RowEntry> batch(List<byte[]> keys, List<byte[]> values) {
        long s = ++seq;
        List<RowEntry> rows = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            rows.add(row(keys.get(i), values.get(i), s, OptionalLong.empty()));
        }
        rows.sort(Comparator.comparing(RowEntry::key, Arrays::compareUnsigned));
        rows.forEach(this::record);
        return rows;
    }

    private RowEntry row(byte[] key, byte[] value, long s, OptionalLong expireTs) {
        return new RowEntry(key, value == null ? ValueKind.TOMBSTONE : ValueKind.VALUE, value, s,
                OptionalLong.of(createTs(s)), expireTs);
    }

    private RowEntry record(RowEntry row) {
        writes.add(row);
        return row;
    }

    private byte[] value(int size) {
        if (random.nextInt(3) == 0) {
            return ValuePattern.bytes(size, random.nextInt(26));
        }
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static EncodedSst compacted(SstWriterOptions options, List<RowEntry> rows) {
        List<RowEntry> sorted = new ArrayList<>(rows);
        sorted.sort(RowEntry.KEY_ASC_SEQ_DESC);
        SstBuilder builder = SstBuilder.compacted(options);
        sorted.forEach(builder::add);
        return builder.build();
    }

    private static void put(ObjectStore store, String path, byte[] bytes) {
        Futures.join(store.put(path, bytes, PutOptions.CREATE));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
