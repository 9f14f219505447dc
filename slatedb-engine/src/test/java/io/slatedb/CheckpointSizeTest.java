package io.slatedb;

import io.slatedb.format.DbLayout;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.ObjectMetadata;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Admin#checkpointSize} and {@link Admin#sizeSince}: the SSTs a checkpoint keeps, from its manifest. */
@Timeout(60)
class CheckpointSizeTest {
    /** No compactor and no collector: every SST flushed stays, and stays referenced. */
    static final Settings SETTINGS = Settings.builder().flushInterval(Duration.ofMillis(5)).compactorOptions(null)
            .garbageCollectorOptions(null).build();
    /** An SST's info block and footer, which the manifest does not size, stay below this. */
    static final long TRAILER_BYTES = 1024;

    private final ObjectStore store = new InMemoryObjectStore();

    @AfterEach
    void closeStore() {
        store.close();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes {@code rows} rows starting at {@code from} and flushes them to one L0 SST; returns a checkpoint. */
    private static UUID writeFlushAndCheckpoint(Db db, int from, int rows) {
        for (int i = from; i < from + rows; i++) {
            db.put(b(String.format("k%06d", i)), b("value-" + i + "-".repeat(i % 50)));
        }
        return db.createCheckpoint(CheckpointScope.ALL, CheckpointOptions.DEFAULT).id();
    }

    private List<ObjectMetadata> compacted(String path) {
        return Futures.join(store.listAll(DbLayout.of(path).compactedDir() + "/"));
    }

    private static void assertSizedLike(List<ObjectMetadata> objects, CheckpointSize size) {
        long stored = objects.stream().mapToLong(ObjectMetadata::size).sum();
        assertEquals(objects.size(), size.sstCount());
        assertTrue(size.sstBytes() <= stored && size.sstBytes() > stored - TRAILER_BYTES * objects.size(),
                "the manifest's sizes are the objects' less their trailers: " + size + " vs " + stored);
    }

    /**
     * A checkpoint counts every SST its manifest references; a later one adds exactly the SSTs flushed
     * in between, and nothing to itself.
     */
    @Test
    void sizesCountEverySstOnceAndTheIncrementIsTheNewSsts() {
        try (Db db = Db.builder("db", store).withSettings(SETTINGS).build();
             Admin admin = Admin.builder("db", store).build()) {
            UUID first = writeFlushAndCheckpoint(db, 0, 500);
            List<ObjectMetadata> firstSsts = compacted("db");
            CheckpointSize firstSize = admin.checkpointSize(first);
            assertSizedLike(firstSsts, firstSize);
            assertTrue(firstSize.sstCount() >= 1);

            UUID second = writeFlushAndCheckpoint(db, 500, 700);
            CheckpointSize secondSize = admin.checkpointSize(second);
            assertSizedLike(compacted("db"), secondSize);
            assertEquals(admin.listCheckpoints().stream().filter(c -> c.id().equals(second)).findFirst()
                    .orElseThrow().manifestId(), secondSize.manifestId());

            CheckpointSize added = admin.sizeSince(second, first);
            assertEquals(secondSize.sstCount() - firstSize.sstCount(), added.sstCount());
            assertEquals(secondSize.sstBytes() - firstSize.sstBytes(), added.sstBytes());
            assertEquals(second, added.checkpointId());
            CheckpointSize none = admin.sizeSince(second, second);
            assertEquals(0, none.sstCount());
            assertEquals(0, none.sstBytes());

            assertEquals(ErrorKind.DATA, assertThrows(SlateDbException.class,
                    () -> admin.checkpointSize(UUID.randomUUID())).kind());
            assertEquals(ErrorKind.DATA, assertThrows(SlateDbException.class,
                    () -> admin.sizeSince(second, UUID.randomUUID())).kind());
        }
    }

    /** A clone's checkpoint counts the SSTs it reads from its source as well as its own, each once. */
    @Test
    void aClonesSizeIncludesTheSstsOfItsSource() {
        UUID sourceCheckpoint;
        try (Db db = Db.builder("src", store).withSettings(SETTINGS).build()) {
            writeFlushAndCheckpoint(db, 0, 300);
            sourceCheckpoint = writeFlushAndCheckpoint(db, 300, 300);
        }
        List<ObjectMetadata> sourceSsts = compacted("src");
        try (Admin admin = Admin.builder("clone", store).build()) {
            admin.createClone("src", sourceCheckpoint);
        }
        try (Db clone = Db.builder("clone", store).withSettings(SETTINGS).build();
             Admin admin = Admin.builder("clone", store).build()) {
            UUID checkpoint = writeFlushAndCheckpoint(clone, 1000, 300);
            List<ObjectMetadata> all = new java.util.ArrayList<>(sourceSsts);
            all.addAll(compacted("clone"));
            assertSizedLike(all, admin.checkpointSize(checkpoint));
        }
    }
}
