package io.slatedb;

import io.slatedb.format.DbLayout;
import io.slatedb.manifest.Checkpoint;
import io.slatedb.manifest.ExternalDb;
import io.slatedb.manifest.Manifest;
import io.slatedb.testing.Fault;
import io.slatedb.testing.FaultInjectingObjectStore;
import io.slatedb.testing.FaultInjectingObjectStore.Operation;
import io.slatedb.testing.FaultRule;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.ObjectMetadata;
import io.slatedb.store.RetryPolicy;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static io.slatedb.CloneTest.b;
import static io.slatedb.CloneTest.rows;
import static io.slatedb.CloneTest.scanAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * "Clone creation uses two manifest states so retries are safe": a failure injected at each step of
 * the creation, then a rerun that completes the clone exactly as an uninterrupted creation would.
 */
@Timeout(60)
class CloneCrashTest {
    private static final String CLONE_MANIFEST_1 = DbLayout.of("clone").manifestPath(1);
    private static final String CLONE_MANIFEST_2 = DbLayout.of("clone").manifestPath(2);

    /** Where creation is interrupted. */
    enum Step {
        /** The ephemeral source checkpoint is not written (only without an explicit checkpoint). */
        SOURCE_CHECKPOINT(Operation.PUT, p -> p.startsWith("src/manifest/"), 1, true),
        /** The uninitialized clone manifest is not written. */
        UNINITIALIZED_MANIFEST(Operation.PUT, CLONE_MANIFEST_1::equals, 1, false),
        /** The uninitialized manifest was written but the caller never heard. */
        UNINITIALIZED_MANIFEST_ANSWER_LOST(Operation.PUT, CLONE_MANIFEST_1::equals, 1, false),
        /** The pin checkpoint in the source is not written. */
        PIN(Operation.PUT, p -> p.startsWith("src/manifest/"), 1, false),
        /** The first WAL SST copy fails. */
        FIRST_WAL_COPY(Operation.COPY, p -> true, 1, false),
        /** A later WAL SST copy fails, after the first succeeded. */
        LAST_WAL_COPY(Operation.COPY, p -> true, 2, false),
        /** The initialized manifest is not written. */
        INITIALIZED_MANIFEST(Operation.PUT, CLONE_MANIFEST_2::equals, 1, false),
        /** The initialized manifest was written but the caller never heard. */
        INITIALIZED_MANIFEST_ANSWER_LOST(Operation.PUT, CLONE_MANIFEST_2::equals, 1, false);

        final Operation operation;
        final Predicate<String> paths;
        final int nth;
        final boolean ephemeralOnly;

        Step(Operation operation, Predicate<String> paths, int nth, boolean ephemeralOnly) {
            this.operation = operation;
            this.paths = paths;
            this.nth = nth;
            this.ephemeralOnly = ephemeralOnly;
        }

        Fault fault() {
            return name().endsWith("ANSWER_LOST") ? Fault.applyThenFail() : Fault.failPermanently();
        }
    }

    private final InMemoryObjectStore memory = new InMemoryObjectStore();
    private final FaultInjectingObjectStore store = new FaultInjectingObjectStore(memory);

    @AfterEach
    void close() {
        store.close();
    }

    /** A source with SSTs in L0 and two WAL SSTs of data past them; returns a checkpoint covering both. */
    private UUID source() {
        try (Db db = Db.builder("src", store).withSettings(CloneTest.SETTINGS).build()) {
            db.put(b("l0"), b("1"));
            db.flush(FlushType.MEMTABLE);
            db.put(b("wal-1"), b("2"));
            db.flush(FlushType.WAL);
            db.put(b("wal-2"), b("3"));
            return db.createCheckpoint(CheckpointScope.DURABLE, CheckpointOptions.DEFAULT).id();
        }
    }

    private List<Checkpoint> sourceCheckpoints() {
        try (Admin admin = Admin.builder("src", store).build()) {
            return admin.readManifest().orElseThrow().internal().core().checkpoints();
        }
    }

    @ParameterizedTest
    @EnumSource(Step.class)
    void anInterruptedCreationWithACheckpointIsCompletedByARerun(Step step) {
        assumeFalse(step.ephemeralOnly, "an explicit checkpoint takes no short-lived one");
        interruptThenRerun(step, source());
    }

    @ParameterizedTest
    @EnumSource(Step.class)
    void anInterruptedCreationFromTheLatestManifestIsCompletedByARerun(Step step) {
        source();
        // The writer flushed everything to L0 at close: the latest manifest references no WAL SST.
        assumeFalse(step.operation == Operation.COPY, "nothing to copy");
        interruptThenRerun(step, null);
    }

    private void interruptThenRerun(Step step, UUID checkpoint) {
        int checkpointsBefore = sourceCheckpoints().size();
        store.clearCalls();
        FaultRule rule = FaultRule.on(step.operation, step.fault()).forPaths(step.paths).once();
        if (step.nth > 1) {
            // Let the first nth - 1 matching calls through, then fail the next one.
            int[] seen = {0};
            Predicate<String> paths = step.paths;
            rule = FaultRule.on(step.operation, step.fault()).forPaths(p -> paths.test(p) && ++seen[0] == step.nth);
        }
        if (step == Step.PIN && checkpoint == null) {
            // The first source manifest write is the short-lived checkpoint; the pin is the second.
            int[] seen = {0};
            rule = FaultRule.on(step.operation, step.fault()).forPaths(p -> p.startsWith("src/manifest/") && ++seen[0] == 2);
        }
        store.inject(rule);
        // One attempt per call, as a process that dies at this step makes: with retries, a lost answer
        // would be recognised and the creation would not be interrupted at all.
        try (Admin admin = Admin.builder("clone", store).withRetryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(1))
                .build()) {
            assertThrows(SlateDbException.class, () -> admin.createClone("src", checkpoint));
            store.clearFaults();
            boolean started = Futures.join(memory.listAll("clone/manifest/")).size() > 0;
            if (started && !latestClone().core().initialized()) {
                SlateDbException e = assertThrows(SlateDbException.class,
                        () -> Db.builder("clone", store).withSettings(CloneTest.SETTINGS).build());
                assertEquals(ErrorKind.INVALID, e.kind(), "an uninitialized clone cannot be opened");
                assertTrue(e.getMessage().contains("not initialized"), e.getMessage());
                assertThrows(SlateDbException.class, () -> DbReader.builder("clone", store).build());
                // A rerun validates that it continues the same clone: another checkpoint is refused.
                UUID other = UUID.randomUUID();
                assertEquals(ErrorKind.DATA, assertThrows(SlateDbException.class,
                        () -> admin.createClone("src", other)).kind());
                assertFalse(latestClone().core().initialized(), "and left as it was");
            }
            Manifest done = admin.createClone("src", checkpoint).internal();
            assertTrue(done.core().initialized());
            assertEquals(done, latestClone(), "the rerun returns the stored clone");
        }
        Manifest clone = latestClone();
        ExternalDb external = clone.externalDbs().get(0);
        List<Checkpoint> checkpoints = sourceCheckpoints();
        assertTrue(checkpoints.stream().anyMatch(c -> c.id().equals(external.finalCheckpointId())), "pinned");
        long extra = checkpoints.size() - checkpointsBefore;
        assertTrue(extra <= (checkpoint == null ? 3 : 1),
                "one pin (plus, from the latest manifest, the short-lived checkpoints of the attempts): " + checkpoints);
        for (long id = clone.core().replayAfterWalId() + 1; id < clone.core().nextWalSstId(); id++) {
            ObjectMetadata copied = Futures.join(memory.head(DbLayout.of("clone").walSstPath(id)));
            assertEquals(Futures.join(memory.head(DbLayout.of("src").walSstPath(id))).size(), copied.size());
        }
        try (Db db = Db.builder("clone", store).withSettings(CloneTest.SETTINGS).build()) {
            assertEquals(rows("l0", "1", "wal-1", "2", "wal-2", "3"), scanAll(db));
        }
    }

    private Manifest latestClone() {
        try (Admin admin = Admin.builder("clone", store).build()) {
            return admin.readManifest().orElseThrow().internal();
        }
    }

    @Test
    void aRerunSaysWhyItCannotFinishWhenTheShortLivedSourceCheckpointIsGone() {
        source();
        store.inject(FaultRule.on(Operation.PUT, Fault.failPermanently()).forPaths(p -> p.startsWith("src/manifest/"))
                .forPaths(new Predicate<>() {
                    private int seen;

                    @Override
                    public boolean test(String p) {
                        return p.startsWith("src/manifest/") && ++seen == 2; // the pin
                    }
                }));
        try (Admin admin = Admin.builder("clone", store).build()) {
            assertThrows(SlateDbException.class, () -> admin.createClone("src", null));
            store.clearFaults();
            UUID ephemeral = latestClone().externalDbs().get(0).sourceCheckpointId();
            try (Admin src = Admin.builder("src", store).build()) {
                assertTrue(src.deleteCheckpoint(ephemeral), "expired and collected");
            }
            SlateDbException e = assertThrows(SlateDbException.class, () -> admin.createClone("src", null));
            assertEquals(ErrorKind.DATA, e.kind());
            assertTrue(e.getMessage().contains(ephemeral.toString()) && e.getMessage().contains("create it again"),
                    e.getMessage());
            assertFalse(latestClone().core().initialized());
        }
    }

    @Test
    void aMissingWalSstIsReportedAsUnavailable() {
        UUID checkpoint = source();
        Futures.join(memory.delete(DbLayout.of("src").walSstPath(latestSourceWal())));
        try (Admin admin = Admin.builder("clone", store).build()) {
            SlateDbException e = assertThrows(SlateDbException.class, () -> admin.createClone("src", checkpoint));
            assertEquals(ErrorKind.UNAVAILABLE, e.kind());
            assertTrue(e.getMessage().contains("missing"), e.getMessage());
        }
    }

    private long latestSourceWal() {
        List<ObjectMetadata> wal = Futures.join(memory.listAll("src/wal/"));
        return DbLayout.parseWalSstId(wal.get(wal.size() - 1).path()).orElseThrow();
    }
}
