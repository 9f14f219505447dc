package io.slatedb;

import io.slatedb.testing.WriteRecordingStore;
import io.slatedb.testing.MutableClock;
import io.slatedb.dbreader.ReaderCore;
import io.slatedb.format.DbLayout;
import io.slatedb.manifest.LsmTree;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestStore;
import io.slatedb.manifest.SortedRun;
import io.slatedb.manifest.SstView;
import io.slatedb.metadata.StoredObject;
import io.slatedb.testing.Fault;
import io.slatedb.testing.FaultInjectingObjectStore;
import io.slatedb.testing.FaultRule;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.LocalDirectoryObjectStore;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DbReader}, one test per statement of SlateDB's reader documentation. Polls run through
 * {@link DbReader#pollNow()}; the scheduled poller's interval is far beyond a test's run, and
 * checkpoint times come from a {@link MutableClock}.
 */
@Timeout(60)
class DbReaderTest {
    static final String PATH = "db";
    static final Settings SETTINGS = Settings.builder()
            .flushInterval(Duration.ofMillis(5))
            .l0MaxSsts(100_000)
            .l0MaxSstsPerKey(100_000)
            .build();
    /** Scheduled polls never fire during a test: every poll is explicit. */
    static final DbReaderOptions OPTIONS = DbReaderOptions.builder()
            .manifestPollInterval(Duration.ofMinutes(5))
            .checkpointLifetime(Duration.ofMinutes(10))
            .build();

    enum StoreKind { MEMORY, LOCAL_DIRECTORY }

    @TempDir
    Path dir;

    private ObjectStore store;
    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final List<AutoCloseable> toClose = new ArrayList<>();

    private ObjectStore open(StoreKind kind) {
        store = kind == StoreKind.MEMORY ? new InMemoryObjectStore() : new LocalDirectoryObjectStore(dir);
        return store;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        if (store != null) {
            store.close();
        }
    }

    private Db writer() {
        Db db = Db.builder(PATH, store).withSettings(SETTINGS).withClock(clock).build();
        toClose.add(db);
        return db;
    }

    private DbReader reader(DbReaderOptions options) {
        return reader(DbReader.builder(PATH, store).withOptions(options));
    }

    private DbReader reader(DbReader.Builder builder) {
        DbReader reader = builder.withClock(clock).build();
        toClose.add(reader);
        return reader;
    }

    private Admin admin() {
        return Admin.builder(PATH, store).withClock(clock).build();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static List<String> keys(DbIterator it) {
        List<String> keys = new ArrayList<>();
        try (it) {
            it.forEachRemaining(kv -> keys.add(s(kv.key()) + "=" + s(kv.value())));
        }
        return keys;
    }

    private List<UUID> checkpointIds() {
        try (Admin admin = admin()) {
            return admin.listCheckpoints().stream().map(CheckpointInfo::id).toList();
        }
    }

    // ---------------------------------------------------------------- opening

    /** "This example opens a database, flushes one key to object storage, then opens a DbReader and reads that key back." */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void readsAKeyTheWriterFlushed(StoreKind kind) {
        open(kind);
        Db db = writer();
        db.put(b("key"), b("value"));
        db.flush();
        DbReader reader = DbReader.open(PATH, store);
        toClose.add(reader);
        assertEquals("value", s(reader.get(b("key"))));
        KeyValue kv = reader.getKeyValue(b("key"));
        assertEquals(db.lastSeq(), kv.seq());
        assertEquals(DbReaderMode.MANAGED_CHECKPOINT, reader.mode());
    }

    /**
     * "Without with_checkpoint_id, SlateDB creates a checkpoint in the latest manifest and sets its lifetime
     * from checkpoint_lifetime. That checkpoint pins the initial L0 and sorted-run view."
     */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void createsItsOwnCheckpointPinningTheManifestItReads(StoreKind kind) {
        open(kind);
        Db db = writer();
        db.put(b("a"), b("1"));
        db.flush(FlushType.MEMTABLE);
        DbReader reader = reader(OPTIONS);
        ReaderCore.State state = reader.core().state();
        var own = reader.core().ownCheckpoint();
        assertEquals(state.manifestId(), own.manifestId());
        assertEquals(clock.instant().plus(OPTIONS.checkpointLifetime()).getEpochSecond(), own.expireTimeSeconds());
        try (Admin admin = admin()) {
            CheckpointInfo listed = admin.listCheckpoints().stream().filter(c -> c.id().equals(own.id()))
                    .findFirst().orElseThrow();
            assertEquals(state.manifestId(), listed.manifestId());
            assertEquals(state.manifest().core().tree().l0(),
                    admin.readManifest(listed.manifestId()).orElseThrow().internal().core().tree().l0());
        }
        assertEquals("1", s(reader.get(b("a"))));
    }

    /** "The reader then replays newer WAL SSTs into immutable memtables unless skip_wal_replay is true." */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void seesWalOnlyDataOnlyWithReplay(StoreKind kind) {
        open(kind);
        Db db = writer();
        db.put(b("flushed"), b("L0"));
        db.flush(FlushType.MEMTABLE);
        db.put(b("wal"), b("only"));
        db.delete(b("flushed"));
        db.flush();
        DbReader replaying = reader(OPTIONS);
        assertEquals("only", s(replaying.get(b("wal"))));
        assertNull(replaying.get(b("flushed")), "the replayed tombstone hides the L0 value");
        assertEquals(1, replaying.core().replayedTableCount());

        DbReader skipping = reader(OPTIONS.toBuilder().skipWalReplay(true).build());
        assertNull(skipping.get(b("wal")));
        assertEquals("L0", s(skipping.get(b("flushed"))));
        assertEquals(0, skipping.core().replayedTableCount());
    }

    /**
     * "With an explicit checkpoint ID, SlateDB opens exactly the manifest pinned by that checkpoint. It does not
     * create a new checkpoint, refresh the user-managed checkpoint, delete it on close, or follow newer
     * manifests or WAL SSTs."
     */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPinnedReaderNeverMovesAndNeverWrites(StoreKind kind) {
        open(kind);
        Db db = writer();
        db.put(b("a"), b("1"));
        db.flush(FlushType.MEMTABLE);
        db.put(b("b"), b("2"));
        db.flush();
        CheckpointCreateResult checkpoint = db.createCheckpoint(CheckpointScope.DURABLE,
                CheckpointOptions.builder().lifetime(Duration.ofMinutes(1)).build());
        List<CheckpointInfo> before;
        try (Admin admin = admin()) {
            before = admin.listCheckpoints();
        }

        WriteRecordingStore recording = new WriteRecordingStore(store);
        DbReader reader = DbReader.builder(PATH, recording).withCheckpointId(checkpoint.id())
                .withOptions(OPTIONS).withClock(clock).build();
        assertEquals(DbReaderMode.CHECKPOINT, reader.mode());
        assertEquals(checkpoint.manifestId(), reader.core().state().manifestId());
        assertEquals("1", s(reader.get(b("a"))));
        assertEquals("2", s(reader.get(b("b"))), "WAL files the pinned manifest still needs are replayed");

        db.put(b("c"), b("3"));
        db.put(b("a"), b("changed"));
        db.flush(FlushType.MEMTABLE);
        db.put(b("d"), b("4"));
        db.flush();
        clock.advance(Duration.ofMinutes(30));
        assertEquals(ErrorKind.INVALID, assertThrows(SlateDbException.class, reader::pollNow).kind());
        assertEquals("1", s(reader.get(b("a"))));
        assertNull(reader.get(b("c")));
        assertNull(reader.get(b("d")), "WAL files past the pinned manifest are not read");
        assertEquals(List.of("a=1", "b=2"), keys(reader.scan(null, null)));
        reader.close();

        assertEquals(List.of(), recording.writes());
        try (Admin admin = admin()) {
            assertEquals(before.stream().map(CheckpointInfo::id).toList(),
                    admin.listCheckpoints().stream().map(CheckpointInfo::id).toList());
            assertEquals(before.get(0).expireTime(), admin.listCheckpoints().get(0).expireTime());
        }
    }

    /**
     * "When skip_wal_replay is true ... If the reader owns the checkpoint, it can still pick up later memtable
     * flushes ... when the manifest changes, but it ignores WAL-only data between those manifest updates."
     */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void withoutReplayItPicksUpMemtableFlushesAtTheNextPoll(StoreKind kind) {
        open(kind);
        Db db = writer();
        db.put(b("a"), b("1"));
        db.flush(FlushType.MEMTABLE);
        DbReader reader = reader(OPTIONS.toBuilder().skipWalReplay(true).build());
        UUID first = reader.core().ownCheckpoint().id();

        db.put(b("b"), b("2"));
        db.flush();
        reader.pollNow();
        assertNull(reader.get(b("b")), "WAL-only data is ignored");
        assertEquals(first, reader.core().ownCheckpoint().id(), "no manifest change, no new checkpoint");

        db.flush(FlushType.MEMTABLE);
        assertNull(reader.get(b("b")), "nothing moves before the poll");
        reader.pollNow();
        assertEquals("2", s(reader.get(b("b"))));
        UUID second = reader.core().ownCheckpoint().id();
        assertNotEquals(first, second);
        assertEquals(List.of(second), checkpointIds(), "the old checkpoint is replaced, not kept");
        assertEquals(reader.core().state().manifestId(), reader.core().ownCheckpoint().manifestId());
    }

    /** The compaction half of the statement above: a manifest whose L0 SSTs moved into a sorted run. */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void picksUpACompactionResultAtTheNextPoll(StoreKind kind) {
        open(kind);
        Db db = writer();
        db.put(b("a1"), b("x"));
        db.put(b("a2"), b("y"));
        db.flush(FlushType.MEMTABLE);
        db.put(b("b1"), b("z"));
        db.flush(FlushType.MEMTABLE);
        db.close();
        DbReader reader = reader(OPTIONS);
        assertEquals(2, reader.core().state().view().tree().l0().size());

        StoredObject<Manifest> manifest = Futures.join(StoredObject.load(
                ManifestStore.sequence(store, DbLayout.of(PATH), true), "manifest"));
        Futures.join(manifest.maybeApplyUpdate(latest -> {
            LsmTree tree = latest.value().core().tree();
            List<SstView> inKeyOrder = List.of(tree.l0().get(1), tree.l0().get(0));
            LsmTree compacted = new LsmTree(tree.l0().get(0).id(), null, List.of(),
                    List.of(new SortedRun(0, inKeyOrder)));
            return Optional.of(latest.value().withCore(latest.value().core().toBuilder().tree(compacted).build()));
        }));
        assertEquals(2, reader.core().state().view().tree().l0().size(), "nothing moves before the poll");
        reader.pollNow();
        LsmTree tree = reader.core().state().view().tree();
        assertEquals(0, tree.l0().size());
        assertEquals(1, tree.compacted().size());
        assertEquals(List.of("a1=x", "a2=y", "b1=z"), keys(reader.scan(null, null)));
        assertEquals("y", s(reader.get(b("a2"))));
        assertEquals(List.of(reader.core().ownCheckpoint().id()), checkpointIds());
    }

    /** The same with a real compaction: a standalone compactor merges the writer's L0 SSTs into a run. */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void picksUpWhatACompactorCompactedAtTheNextPoll(StoreKind kind) {
        open(kind);
        Db db = Db.builder(PATH, store).withSettings(SETTINGS.toBuilder().compactorOptions(null).build())
                .withClock(clock).build();
        toClose.add(db);
        for (int i = 0; i < 4; i++) { // four L0 SSTs: enough for the size-tiered scheduler's default
            db.put(b("k" + i), b("v" + i));
            db.put(b("shared"), b("s" + i));
            if (i == 2) {
                db.delete(b("k0"));
            }
            db.flush(FlushType.MEMTABLE);
        }
        DbReader reader = reader(OPTIONS);
        assertEquals(4, reader.core().state().view().tree().l0().size());
        List<String> before = keys(reader.scan(null, null));
        assertEquals(List.of("k1=v1", "k2=v2", "k3=v3", "shared=s3"), before);

        try (Compactor compactor = Compactor.builder(PATH, store).withSettings(SETTINGS).withClock(clock).build()) {
            compactor.runUntilIdle();
            assertEquals(1, compactor.completedCompactions());
        }
        assertEquals(4, reader.core().state().view().tree().l0().size(), "nothing moves before the poll");
        reader.pollNow();
        LsmTree tree = reader.core().state().view().tree();
        assertEquals(0, tree.l0().size());
        assertEquals(1, tree.compacted().size());
        assertEquals(before, keys(reader.scan(null, null)));
        assertNull(reader.get(b("k0")));
        assertEquals("s3", s(reader.get(b("shared"))));
        assertEquals(List.of(reader.core().ownCheckpoint().id()), checkpointIds(), "the old checkpoint is replaced");
    }

    /** "... Otherwise it keeps the current checkpoint and only looks for newer WAL SSTs." */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void seesNewWalFilesAtTheNextPollWithoutANewCheckpoint(StoreKind kind) {
        open(kind);
        Db db = writer();
        db.put(b("a"), b("1"));
        db.flush();
        DbReader reader = reader(OPTIONS);
        UUID checkpoint = reader.core().ownCheckpoint().id();
        long manifestId = reader.core().state().manifestId();

        db.put(b("b"), b("2"));
        db.put(b("a"), b("11"));
        db.flush();
        assertNull(reader.get(b("b")));
        reader.pollNow();
        assertEquals("2", s(reader.get(b("b"))));
        assertEquals("11", s(reader.get(b("a"))));
        assertEquals(List.of("a=11", "b=2"), keys(reader.scanPrefix(b(""))));
        assertEquals(checkpoint, reader.core().ownCheckpoint().id());
        assertEquals(manifestId, reader.core().state().manifestId());
    }

    /**
     * "When SlateDB replaces the reader's checkpoint with a newer manifest, it drops WAL-replayed rows whose
     * sequence numbers are now at or below the new manifest's last_l0_seq."
     */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void prunesReplayedRowsThatL0NowHolds(StoreKind kind) {
        open(kind);
        Db db = writer();
        db.put(b("a"), b("1"));
        db.flush();
        DbReader reader = reader(OPTIONS);
        assertEquals(1, reader.core().replayedTableCount());

        db.flush(FlushType.MEMTABLE);
        db.put(b("b"), b("2"));
        db.flush();
        reader.pollNow();
        long lastL0Seq = reader.core().state().manifest().core().lastL0Seq();
        assertTrue(lastL0Seq >= 1);
        assertEquals(1, reader.core().replayedTableCount(), "only the row above last_l0_seq stays in memory");
        assertEquals(db.lastSeq(), reader.core().state().maxSeq());
        assertEquals("1", s(reader.get(b("a"))));
        assertEquals("2", s(reader.get(b("b"))));

        db.flush(FlushType.MEMTABLE);
        reader.pollNow();
        assertEquals(0, reader.core().replayedTableCount());
        assertEquals(List.of("a=1", "b=2"), keys(reader.scan(null, null)));
    }

    /** Every row of a replayed write batch is visible, though the rows share one sequence number. */
    @Test
    void replaysEveryRowOfAWriteBatch() {
        open(StoreKind.MEMORY);
        Db db = writer();
        db.put(b("gone"), b("0"));
        db.flush(FlushType.MEMTABLE);
        db.write(new WriteBatch().put(b("a"), b("1")).delete(b("gone")).put(b("z"), b("2")));
        DbReader reader = reader(OPTIONS);
        assertEquals(List.of("a=1", "z=2"), keys(reader.scan(null, null)));
        db.write(new WriteBatch().put(b("b"), b("3")).put(b("c"), b("4")));
        reader.pollNow();
        assertEquals(List.of("a=1", "b=3", "c=4", "z=2"), keys(reader.scan(null, null)));
    }

    /** "A DbReader has no mutable memtable of its own. Its precedence is replayed immutable memtables, then L0 SSTs, then sorted runs." */
    @Test
    void replayedRowsWinOverL0() {
        open(StoreKind.MEMORY);
        Db db = writer();
        db.put(b("k"), b("old"));
        db.flush(FlushType.MEMTABLE);
        db.put(b("k"), b("new"));
        db.flush();
        DbReader reader = reader(OPTIONS);
        assertEquals("new", s(reader.get(b("k"))));
        assertEquals(List.of("k=new"), keys(reader.scan(b("a"), b("z"))));
    }

    // ---------------------------------------------------------------- the refresh loop

    /** "SlateDB refreshes the checkpoint expiration after half of the configured lifetime has elapsed." */
    @Test
    void refreshesItsCheckpointAfterHalfItsLifetime() {
        open(StoreKind.MEMORY);
        writer().put(b("a"), b("1"));
        DbReader reader = reader(OPTIONS);
        long expiry = reader.core().ownCheckpoint().expireTimeSeconds();
        long manifestId;
        try (Admin admin = admin()) {
            manifestId = admin.readManifest().orElseThrow().id();
        }
        clock.advance(Duration.ofMinutes(5));
        reader.pollNow();
        assertEquals(expiry, reader.core().ownCheckpoint().expireTimeSeconds(), "exactly half: not yet");
        try (Admin admin = admin()) {
            assertEquals(manifestId, admin.readManifest().orElseThrow().id(), "a poll with nothing to do writes nothing");
        }
        clock.advance(Duration.ofSeconds(1));
        reader.pollNow();
        long refreshed = clock.instant().plus(OPTIONS.checkpointLifetime()).getEpochSecond();
        assertEquals(refreshed, reader.core().ownCheckpoint().expireTimeSeconds());
        try (Admin admin = admin()) {
            assertEquals(refreshed, admin.listCheckpoints().get(0).expireTime().getEpochSecond());
        }
        clock.advance(Duration.ofMinutes(1));
        reader.pollNow();
        assertEquals(refreshed, reader.core().ownCheckpoint().expireTimeSeconds(), "not on every poll");
    }

    /** Re-establishes a checkpoint that vanished (deleted, or expired and collected after a stall). */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void recreatesAVanishedCheckpoint(StoreKind kind) {
        open(kind);
        Db db = writer();
        db.put(b("a"), b("1"));
        db.flush(FlushType.MEMTABLE);
        DbReader reader = reader(OPTIONS);
        UUID first = reader.core().ownCheckpoint().id();
        try (Admin admin = admin()) {
            assertTrue(admin.deleteCheckpoint(first));
        }
        db.put(b("b"), b("2"));
        db.flush();
        reader.pollNow();
        UUID second = reader.core().ownCheckpoint().id();
        assertNotEquals(first, second);
        assertEquals(List.of(second), checkpointIds());
        assertEquals("1", s(reader.get(b("a"))));
        assertEquals("2", s(reader.get(b("b"))));
    }

    /** "DbReader::close stops the poller and deletes the checkpoint the reader created for itself." */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void closeDeletesItsCheckpointAndLaterCallsFail(StoreKind kind) {
        open(kind);
        Db db = writer();
        db.put(b("a"), b("1"));
        db.flush();
        CheckpointCreateResult users = db.createCheckpoint(CheckpointScope.DURABLE, CheckpointOptions.DEFAULT);
        DbReader reader = reader(OPTIONS);
        UUID own = reader.core().ownCheckpoint().id();
        assertEquals(List.of(users.id(), own), checkpointIds());
        reader.close();
        assertEquals(List.of(users.id()), checkpointIds());
        reader.close();
        SlateDbException e = assertThrows(SlateDbException.class, () -> reader.get(b("a")));
        assertEquals(ErrorKind.CLOSED, e.kind());
        assertEquals(CloseReason.CLEAN, e.closeReason());
        assertEquals(ErrorKind.CLOSED, assertThrows(SlateDbException.class, () -> reader.scan(null, null)).kind());
        assertEquals(ErrorKind.CLOSED, assertThrows(SlateDbException.class, reader::pollNow).kind());
    }

    // ---------------------------------------------------------------- read semantics

    /** "A reader does not share a writer's live mutable memtable, so read options cannot expose unflushed writer state." */
    @Test
    void readOptionsCannotExposeUnflushedWrites() {
        open(StoreKind.MEMORY);
        Db db = Db.builder(PATH, store).withSettings(SETTINGS.toBuilder().flushInterval(null).build())
                .withClock(clock).build();
        toClose.add(db);
        db.put(b("durable"), b("1"), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
        db.flush();
        db.put(b("memory"), b("2"), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
        DbReader reader = reader(OPTIONS);
        ReadOptions dirty = ReadOptions.builder().dirty(true).durabilityFilter(DurabilityLevel.MEMORY).build();
        assertEquals("1", s(reader.get(b("durable"), dirty)));
        assertNull(reader.get(b("memory"), dirty));
        assertEquals(List.of("durable=1"), keys(reader.scan(null, null,
                ScanOptions.builder().dirty(true).readAheadBytes(1 << 20).maxFetchTasks(4).cacheBlocks(true).build())));
    }

    /** "Options such as cache_blocks ... still control caching": a get without it leaves the block cache empty. */
    @Test
    void cacheBlocksStillControlsTheBlockCache() {
        open(StoreKind.MEMORY);
        Db db = writer();
        db.put(b("a"), new byte[10_000]);
        db.flush(FlushType.MEMTABLE);
        DbReader reader = reader(OPTIONS);
        assertNotNull(reader.get(b("a"), ReadOptions.builder().cacheBlocks(false).build()));
        assertEquals(0, reader.core().tableStore().cachedBlockCount());
        assertNotNull(reader.get(b("a")));
        assertEquals(1, reader.core().tableStore().cachedBlockCount());
    }

    @Test
    void asyncReadsMatchTheBlockingOnes() {
        open(StoreKind.MEMORY);
        Db db = writer();
        db.put(b("a"), b("1"));
        db.flush();
        DbReader reader = reader(OPTIONS);
        assertEquals("1", s(reader.getAsync(b("a")).join()));
        assertEquals("1", s(reader.getKeyValueAsync(b("a"), ReadOptions.DEFAULT).join().value()));
        assertNull(reader.getAsync(b("zz")).join());
        assertEquals(ErrorKind.INVALID, assertThrows(SlateDbException.class, () -> reader.get(new byte[0])).kind());
    }

    // ---------------------------------------------------------------- follow-latest

    /** SlateDB's FollowLatest mode: no checkpoint, no object-store writes, follows the latest manifest and WAL. */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void followLatestWritesNothingAndFollowsFlushesAndWal(StoreKind kind) {
        open(kind);
        Db db = writer();
        db.put(b("a"), b("1"));
        db.flush(FlushType.MEMTABLE);
        db.put(b("b"), b("2"));
        db.flush();
        WriteRecordingStore recording = new WriteRecordingStore(store);
        DbReader reader = DbReader.builder(PATH, recording).withReaderMode(DbReaderMode.FOLLOW_LATEST)
                .withOptions(OPTIONS).withClock(clock).build();
        toClose.add(reader);
        assertEquals(List.of("a=1", "b=2"), keys(reader.scan(null, null)));

        db.put(b("c"), b("3"));
        db.flush();
        reader.pollNow();
        assertEquals("3", s(reader.get(b("c"))));
        db.flush(FlushType.MEMTABLE);
        db.put(b("d"), b("4"));
        db.flush();
        reader.pollNow();
        assertEquals(List.of("a=1", "b=2", "c=3", "d=4"), keys(reader.scan(null, null)));
        assertEquals(1, reader.core().replayedTableCount(), "rows L0 now holds were pruned");
        reader.close();
        assertEquals(List.of(), recording.writes());
        assertEquals(List.of(), checkpointIds());
    }

    /** "... it starts a background poller that wakes up every manifest_poll_interval." */
    @Test
    void theBackgroundPollerFollowsTheDatabase() throws Exception {
        open(StoreKind.MEMORY);
        Db db = writer();
        db.put(b("a"), b("1"));
        db.flush();
        DbReader reader = reader(OPTIONS.toBuilder().manifestPollInterval(Duration.ofMillis(20))
                .checkpointLifetime(Duration.ofSeconds(1)).build());
        db.put(b("b"), b("2"));
        db.flush();
        // The second poll to end started after the write was durable.
        reader.core().pollEnded().get(10, java.util.concurrent.TimeUnit.SECONDS);
        reader.core().pollEnded().get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("2", s(reader.get(b("b"))));
        db.flush(FlushType.MEMTABLE);
        reader.core().pollEnded().get(10, java.util.concurrent.TimeUnit.SECONDS);
        reader.core().pollEnded().get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(0, reader.core().replayedTableCount());
        assertEquals(List.of("a=1", "b=2"), keys(reader.scan(null, null)));
    }

    /** FollowLatest: "A failed refresh keeps the last good state." */
    @Test
    void aFailedPollKeepsTheLastGoodState() {
        open(StoreKind.MEMORY);
        Db db = writer();
        db.put(b("a"), b("1"));
        db.flush(FlushType.MEMTABLE);
        FaultInjectingObjectStore faulty = new FaultInjectingObjectStore(store);
        DbReader reader = reader(DbReader.builder(PATH, faulty).withReaderMode(DbReaderMode.FOLLOW_LATEST).withOptions(OPTIONS));
        db.put(b("a"), b("2"));
        db.flush(FlushType.MEMTABLE);
        faulty.inject(FaultRule.on(Set.of(FaultInjectingObjectStore.Operation.GET, FaultInjectingObjectStore.Operation.LIST),
                Fault.failPermanently()).forPaths(path -> path.contains("manifest")));
        assertThrows(SlateDbException.class, reader::pollNow);
        assertEquals("1", s(reader.get(b("a"))));
        faulty.clearFaults();
        reader.pollNow();
        assertEquals("2", s(reader.get(b("a"))));
    }

    // ---------------------------------------------------------------- options and errors

    @Test
    void optionsDefaultsAreSlateDbs() {
        DbReaderOptions d = DbReaderOptions.DEFAULT;
        assertEquals(Duration.ofSeconds(10), d.manifestPollInterval());
        assertEquals(Duration.ofMinutes(10), d.checkpointLifetime());
        assertEquals(64L << 20, d.maxMemtableBytes());
        assertEquals(false, d.skipWalReplay());
        assertEquals(Settings.DEFAULT.blockCacheBytes(), d.blockCacheBytes());
    }

    @Test
    void managedModeRejectsLifetimesShorterThanTwoPollsOrASecond() {
        open(StoreKind.MEMORY);
        writer().put(b("a"), b("1"));
        DbReaderOptions tooShort = DbReaderOptions.builder().manifestPollInterval(Duration.ofSeconds(10))
                .checkpointLifetime(Duration.ofSeconds(19)).build();
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> DbReader.builder(PATH, store).withOptions(tooShort).build());
        assertEquals(ErrorKind.INVALID, e.kind());
        assertEquals("checkpoint_lifetime", e.setting());
        DbReaderOptions underASecond = DbReaderOptions.builder().manifestPollInterval(Duration.ofMillis(100))
                .checkpointLifetime(Duration.ofMillis(900)).build();
        assertEquals("checkpoint_lifetime", assertThrows(InvalidSettingException.class,
                () -> DbReader.builder(PATH, store).withOptions(underASecond).build()).setting());
        assertEquals(List.of(), checkpointIds(), "nothing was written");
        // Readers that own no checkpoint do not check the lifetime.
        DbReader latest = reader(DbReader.builder(PATH, store).withReaderMode(DbReaderMode.FOLLOW_LATEST).withOptions(tooShort));
        assertEquals("1", s(latest.get(b("a"))));
        assertThrows(InvalidSettingException.class, () -> DbReaderOptions.builder().maxMemtableBytes(0).build());
        assertThrows(InvalidSettingException.class,
                () -> DbReaderOptions.builder().manifestPollInterval(Duration.ZERO).build());
    }

    @Test
    void missingDatabaseOrCheckpointIsADataError() {
        open(StoreKind.MEMORY);
        assertEquals(ErrorKind.DATA, assertThrows(SlateDbException.class, () -> DbReader.open(PATH, store)).kind());
        writer().put(b("a"), b("1"));
        assertEquals(ErrorKind.DATA, assertThrows(SlateDbException.class,
                () -> DbReader.builder(PATH, store).withCheckpointId(UUID.randomUUID()).build()).kind());
    }
}
