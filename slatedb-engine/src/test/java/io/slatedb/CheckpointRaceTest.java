package io.slatedb;

import io.slatedb.manifest.Manifest;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.LocalDirectoryObjectStore;
import io.slatedb.store.ObjectStore;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.slatedb.CheckpointTest.b;
import static io.slatedb.CheckpointTest.ids;
import static io.slatedb.CheckpointTest.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A writer publishing L0 SSTs (and its own checkpoints) while admins add, refresh and delete
 * checkpoints: every manifest update is a compare-and-swap that, after losing a race, re-applies its
 * change to what the winner wrote, so neither side loses the other's fields.
 */
@Timeout(120)
class CheckpointRaceTest {
    private static final int FLUSHES = 40;
    private static final int ADMIN_CHECKPOINTS = 40;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(CheckpointTest.StoreKind.class)
    void writerAndAdminsDoNotLoseEachOthersUpdates(CheckpointTest.StoreKind kind) throws Exception {
        ObjectStore store = kind == CheckpointTest.StoreKind.MEMORY ? new InMemoryObjectStore()
                : new LocalDirectoryObjectStore(dir);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try (store; Db db = Db.builder("db", store).withSettings(CheckpointTest.SETTINGS).build();
             Admin creator = Admin.builder("db", store).build();
             Admin deleter = Admin.builder("db", store).build()) {
            CyclicBarrier start = new CyclicBarrier(3);

            Future<List<UUID>> writer = threads.submit(() -> {
                start.await();
                List<UUID> own = new ArrayList<>();
                for (int i = 0; i < FLUSHES; i++) {
                    db.put(b("key" + i), b("value" + i), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
                    db.flush(FlushType.MEMTABLE);
                    if (i % 10 == 9) {
                        own.add(db.createCheckpoint(CheckpointScope.DURABLE,
                                CheckpointOptions.builder().name("writer").build()).id());
                    }
                }
                return own;
            });
            Future<List<CheckpointCreateResult>> admin = threads.submit(() -> {
                start.await();
                List<CheckpointCreateResult> created = new ArrayList<>();
                for (int i = 0; i < ADMIN_CHECKPOINTS; i++) {
                    created.add(creator.createDetachedCheckpoint(CheckpointOptions.builder().name("admin")
                            .lifetime(Duration.ofHours(1)).build()));
                }
                return created;
            });
            // A second admin deletes one short-lived scratch checkpoint after another and refreshes
            // a long-lived one, so three processes race for the same manifest ids.
            UUID kept = creator.createDetachedCheckpoint(CheckpointOptions.builder().name("kept").build()).id();
            Future<Integer> churn = threads.submit(() -> {
                start.await();
                int deleted = 0;
                for (int i = 0; i < ADMIN_CHECKPOINTS / 2; i++) {
                    UUID scratch = deleter.createDetachedCheckpoint(CheckpointOptions.builder().name("scratch").build()).id();
                    deleter.refreshCheckpoint(kept, Duration.ofDays(1 + i));
                    deleted += deleter.deleteCheckpoint(scratch) ? 1 : 0;
                }
                return deleted;
            });

            List<UUID> writerCheckpoints = writer.get(100, TimeUnit.SECONDS);
            List<CheckpointCreateResult> adminCheckpoints = admin.get(100, TimeUnit.SECONDS);
            assertEquals(ADMIN_CHECKPOINTS / 2, churn.get(100, TimeUnit.SECONDS));

            Set<UUID> expected = new HashSet<>(writerCheckpoints);
            adminCheckpoints.forEach(c -> expected.add(c.id()));
            expected.add(kept);
            ManifestSnapshot latest = creator.readManifest().orElseThrow();
            assertEquals(expected, ids(latest.checkpoints()), "no checkpoint lost, no scratch one left");
            Manifest m = latest.internal();
            assertEquals(FLUSHES, m.core().l0().size(), "no L0 SST lost");
            assertEquals(db.lastSeq(), m.core().lastL0Seq());
            assertEquals(1, latest.writerEpoch());
            CheckpointInfo keptInfo = latest.checkpoints().stream().filter(c -> c.id().equals(kept)).findFirst()
                    .orElseThrow();
            assertTrue(keptInfo.expireTime().isAfter(Instant.now().plus(Duration.ofDays(ADMIN_CHECKPOINTS / 2 - 1))),
                    "the last refresh won: " + keptInfo);

            // Every admin checkpoint pins the manifest that added it, which lists it; ids are distinct.
            Set<Long> pinned = new HashSet<>();
            for (CheckpointCreateResult c : adminCheckpoints) {
                assertTrue(pinned.add(c.manifestId()));
                ManifestSnapshot own = creator.readManifest(c.manifestId()).orElseThrow();
                assertTrue(ids(own.checkpoints()).contains(c.id()));
            }

            db.close();
            try (Db reopened = Db.builder("db", store).withSettings(CheckpointTest.SETTINGS).build()) {
                for (int i = 0; i < FLUSHES; i++) {
                    assertEquals("value" + i, s(reopened.get(b("key" + i))));
                }
            }
            assertEquals(expected, ids(creator.listCheckpoints()));
        } finally {
            threads.shutdownNow();
        }
    }
}
