package io.slatedb.flink.fork;

import io.slatedb.Admin;
import io.slatedb.CheckpointCreateResult;
import io.slatedb.CheckpointOptions;
import io.slatedb.CheckpointScope;
import io.slatedb.Compactor;
import io.slatedb.CompactorOptions;
import io.slatedb.Db;
import io.slatedb.FlushType;
import io.slatedb.GarbageCollectorDirectoryOptions;
import io.slatedb.GarbageCollectorOptions;
import io.slatedb.Settings;
import io.slatedb.flink.snapshot.proto.CheckpointDescriptor;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.ObjectMetadata;
import io.slatedb.store.ObjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pinned clones: a clone of a checkpoint holds its source's SSTs against the source's collector until it
 * is released, and releasing it lets a later collection free whatever no fork still reads.
 */
@Timeout(60)
class PinnedClonesTest {

    private static final Settings SETTINGS = Settings.builder()
            .flushInterval(Duration.ofMillis(5))
            .compactorOptions(null)
            .garbageCollectorOptions(null)
            .build();
    private static final GarbageCollectorOptions EAGER;

    static {
        GarbageCollectorDirectoryOptions task = new GarbageCollectorDirectoryOptions(Duration.ofSeconds(1),
                Duration.ZERO, false);
        EAGER = GarbageCollectorOptions.builder().manifestOptions(task).walOptions(task).walFenceOptions(task)
                .compactedOptions(task).compactionsOptions(task).build();
    }

    private final ObjectStore store = new InMemoryObjectStore();

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aReleasedCloneLetsTheSourcesCollectorFreeWhatNoForkReads() {
        CheckpointDescriptor source = writeAndCheckpoint("src", "v1");
        List<String> atSavepoint = objects("src/compacted/");
        assertThat(atSavepoint).isNotEmpty();

        CheckpointDescriptor pinned = PinnedClones.clone(store, source, "sp/kg-0-9");
        deleteCheckpoint("src", UUID.fromString(source.getCheckpointId()));
        assertThat(pinned.getPath()).isEqualTo("sp/kg-0-9");
        assertThat(pinned.getStartKeyGroup()).isEqualTo(source.getStartKeyGroup());
        assertThat(pinned.getStateMeta()).isEqualTo(source.getStateMeta());
        assertThat(objects("sp/kg-0-9/compacted/")).as("no SST copied").isEmpty();
        // A fork, as a restore makes it: a clone of the pinned clone at its pin.
        try (Admin fork = Admin.builder("fork", store).build()) {
            fork.createClone("sp/kg-0-9", UUID.fromString(pinned.getCheckpointId()));
        }

        overwriteCompactAndCollect("src", "v2");
        assertThat(objects("src/compacted/")).as("pinned by the savepoint and the fork").containsAll(atSavepoint);

        assertThat(PinnedClones.release(store, "sp/kg-0-9", UUID.fromString(pinned.getCheckpointId()))).isTrue();
        assertThat(objects("sp/kg-0-9/")).as("the savepoint's database is gone").isEmpty();
        collect("src");
        assertThat(objects("src/compacted/")).as("the fork still pins them").containsAll(atSavepoint);
        try (Db fork = Db.builder("fork", store).withSettings(SETTINGS).build()) {
            assertThat(fork.get(bytes("k007"))).isEqualTo(bytes("v1-7"));
        }

        try (Admin fork = Admin.builder("fork", store).build()) {
            fork.deleteDb(true);
        }
        collect("src");
        assertThat(objects("src/compacted/")).as("nothing reads them any more").doesNotContainAnyElementsOf(atSavepoint);
        try (Db db = Db.builder("src", store).withSettings(SETTINGS).build()) {
            assertThat(db.get(bytes("k007"))).isEqualTo(bytes("v2-7"));
        }
    }

    @Test
    void aDatabaseWithSstsOfItsOwnStaysWhileOthersPinIt() {
        // A database that owns SSTs (as a detached copy does) and is pinned by a fork keeps them for it.
        CheckpointDescriptor source = writeAndCheckpoint("own", "v1");
        try (Admin fork = Admin.builder("fork", store).build()) {
            fork.createClone("own", UUID.fromString(source.getCheckpointId()));
        }
        assertThat(PinnedClones.release(store, "own", UUID.fromString(source.getCheckpointId()))).isFalse();
        try (Db fork = Db.builder("fork", store).withSettings(SETTINGS).build()) {
            assertThat(fork.get(bytes("k003"))).isEqualTo(bytes("v1-3"));
        }
        try (Admin fork = Admin.builder("fork", store).build()) {
            fork.deleteDb(true);
        }
        // Nothing pins it any more: a second release (of a pin already gone) deletes it.
        assertThat(PinnedClones.release(store, "own", UUID.fromString(source.getCheckpointId()))).isTrue();
        assertThat(objects("own/")).isEmpty();
        assertThat(PinnedClones.release(store, "own", UUID.randomUUID())).as("gone already").isTrue();
    }

    @Test
    void aCopyHasSstsOfItsOwnKeepsExpiryTimesAndOutlivesItsSource() {
        long expiry = System.currentTimeMillis() + Duration.ofDays(1).toMillis();
        try (Db db = Db.builder("src", store).withSettings(SETTINGS).build()) {
            db.put(bytes("expiring"), bytes("soon"), new io.slatedb.PutOptions(
                    io.slatedb.Ttl.expireAt(java.time.Instant.ofEpochMilli(expiry))), io.slatedb.WriteOptions.DEFAULT);
        }
        CheckpointDescriptor source = writeAndCheckpoint("src", "v1");
        CheckpointDescriptor copy = PinnedClones.copy(store, source, "copy", new io.slatedb.MergeOperator() {
            @Override
            public byte[] merge(byte[] key, byte[] existing, byte[] operand) {
                return operand;
            }
        });
        try (Admin admin = Admin.builder("src", store).build()) {
            assertThat(admin.listCheckpoints()).as("the copy pins nothing in its source").hasSize(1);
            admin.deleteCheckpoint(UUID.fromString(source.getCheckpointId()));
            admin.deleteDb(true);
        }
        assertThat(objects("src/")).isEmpty();
        assertThat(objects("copy/compacted/")).isNotEmpty();
        try (io.slatedb.DbReader reader = io.slatedb.DbReader.builder("copy", store)
                .withCheckpointId(UUID.fromString(copy.getCheckpointId())).build()) {
            assertThat(reader.get(bytes("k007"))).isEqualTo(bytes("v1-7"));
            try (io.slatedb.DbIterator rows = reader.scan(bytes("expiring"), bytes("expiring0"))) {
                assertThat(rows.next().expireTs()).hasValue(expiry);
            }
        }
    }

    private CheckpointDescriptor writeAndCheckpoint(String path, String tag) {
        try (Db db = Db.builder(path, store).withSettings(SETTINGS).build()) {
            for (int i = 0; i < 20; i++) {
                db.put(bytes(String.format("k%03d", i)), bytes(tag + "-" + i));
            }
            CheckpointCreateResult checkpoint = db.createCheckpoint(CheckpointScope.ALL, CheckpointOptions.DEFAULT);
            return CheckpointDescriptor.newBuilder().setFormatVersion(1).setStore("memory").setPath(path)
                    .setCheckpointId(checkpoint.id().toString()).setManifestId(checkpoint.manifestId())
                    .setStartKeyGroup(0).setEndKeyGroup(9).build();
        }
    }

    private void overwriteCompactAndCollect(String path, String tag) {
        try (Db db = Db.builder(path, store).withSettings(SETTINGS).build()) {
            for (int i = 0; i < 20; i++) {
                db.put(bytes(String.format("k%03d", i)), bytes(tag + "-" + i));
            }
            db.flush(FlushType.MEMTABLE);
        }
        CompactorOptions full = CompactorOptions.builder().minCompactionSources(2).maxCompactionSources(64)
                .includeSizeThreshold(1e9).build();
        try (Compactor compactor = Compactor.builder(path, store).withOptions(full).build()) {
            compactor.runUntilIdle();
        }
        collect(path);
    }

    private void collect(String path) {
        try (Admin admin = Admin.builder(path, store).build()) {
            admin.runGarbageCollection(EAGER, false);
        }
    }

    private void deleteCheckpoint(String path, UUID id) {
        try (Admin admin = Admin.builder(path, store).build()) {
            admin.deleteCheckpoint(id);
        }
    }

    private List<String> objects(String prefix) {
        return store.listAll(prefix).join().stream().map(ObjectMetadata::path).toList();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
