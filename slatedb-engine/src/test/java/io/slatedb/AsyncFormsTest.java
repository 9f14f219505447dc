package io.slatedb;

import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.ObjectStore;
import io.slatedb.testing.Fault;
import io.slatedb.testing.FaultInjectingObjectStore;
import io.slatedb.testing.FaultInjectingObjectStore.Operation;
import io.slatedb.testing.FaultRule;
import io.slatedb.testing.GateStore;
import io.slatedb.testing.MutableClock;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The asynchronous forms of {@link Admin}, {@link GarbageCollector} and {@link Compactor}: each gives
 * what its blocking form gives, fails with the same typed error (store failures injected by a
 * {@link FaultInjectingObjectStore}, a missing checkpoint, a closed handle), and returns before the
 * store has answered (a held request: the future is not done until it is released).
 */
@Timeout(60)
class AsyncFormsTest {
    private static final String PATH = "db";
    private static final long WAIT_SECONDS = 30;
    private static final Settings SETTINGS = Settings.builder().compactorOptions(null).garbageCollectorOptions(null)
            .build();
    /** Every task, nothing old enough to delete but what a dry run reports. */
    private static final GarbageCollectorOptions GC = GarbageCollectorOptions.DEFAULT;

    private final ObjectStore memory = new InMemoryObjectStore();
    private final FaultInjectingObjectStore store = new FaultInjectingObjectStore(memory);
    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private Admin admin;
    private UUID checkpoint;

    /** One operation in both forms. */
    private record Form<T>(String name, Supplier<T> blocking, Supplier<CompletableFuture<T>> async) {
    }

    @BeforeEach
    void writeDatabase() {
        try (Db db = Db.builder(PATH, memory).withSettings(SETTINGS).build()) {
            for (int i = 0; i < 4; i++) {
                db.put(("k" + i).getBytes(StandardCharsets.UTF_8), ("v" + i).getBytes(StandardCharsets.UTF_8));
                db.flush(FlushType.MEMTABLE);
            }
        }
        admin = Admin.builder(PATH, store).withClock(clock).build();
        checkpoint = admin.createDetachedCheckpoint(CheckpointOptions.DEFAULT).id();
    }

    @AfterEach
    void close() {
        admin.close();
        store.close();
    }

    /** The operations that read, or (dry runs) change nothing: both forms answer alike. */
    private List<Form<?>> readingForms() {
        List<Form<?>> forms = new ArrayList<>();
        forms.add(new Form<>("readManifest", admin::readManifest, admin::readManifestAsync));
        forms.add(new Form<>("readManifest(1)", () -> admin.readManifest(1), () -> admin.readManifestAsync(1)));
        forms.add(new Form<>("listManifests", admin::listManifests, admin::listManifestsAsync));
        forms.add(new Form<>("walRange", admin::walRange, admin::walRangeAsync));
        forms.add(new Form<>("listCheckpoints", admin::listCheckpoints, admin::listCheckpointsAsync));
        forms.add(new Form<>("listCheckpoints(name)", () -> admin.listCheckpoints(""),
                () -> admin.listCheckpointsAsync("")));
        forms.add(new Form<>("checkpointSize", () -> admin.checkpointSize(checkpoint),
                () -> admin.checkpointSizeAsync(checkpoint)));
        forms.add(new Form<>("sizeSince", () -> admin.sizeSince(checkpoint, checkpoint),
                () -> admin.sizeSinceAsync(checkpoint, checkpoint)));
        forms.add(new Form<>("checkpointPosition", () -> admin.checkpointPosition(checkpoint),
                () -> admin.checkpointPositionAsync(checkpoint)));
        forms.add(new Form<>("listWalRetentions", admin::listWalRetentions, admin::listWalRetentionsAsync));
        forms.add(new Form<>("deleteDb(dry)", () -> admin.deleteDb(false), () -> admin.deleteDbAsync(false)));
        forms.add(new Form<>("runGarbageCollection(dry)", () -> admin.runGarbageCollection(GC, true),
                () -> admin.runGarbageCollectionAsync(GC, true)));
        return forms;
    }

    /** The operations that write; under injected failures they change nothing, so both forms fail alike. */
    private List<Form<?>> writingForms() {
        List<Form<?>> forms = new ArrayList<>();
        forms.add(new Form<>("createDetachedCheckpoint", () -> admin.createDetachedCheckpoint(CheckpointOptions.DEFAULT),
                () -> admin.createDetachedCheckpointAsync(CheckpointOptions.DEFAULT)));
        forms.add(new Form<>("refreshCheckpoint", () -> admin.refreshCheckpoint(checkpoint, null),
                () -> admin.refreshCheckpointAsync(checkpoint, null)));
        forms.add(new Form<>("deleteCheckpoint", () -> admin.deleteCheckpoint(checkpoint),
                () -> admin.deleteCheckpointAsync(checkpoint)));
        forms.add(new Form<>("removeExpiredCheckpoints", admin::removeExpiredCheckpoints,
                admin::removeExpiredCheckpointsAsync));
        forms.add(new Form<>("createWalRetention", () -> admin.createWalRetention("slot", 1, null),
                () -> admin.createWalRetentionAsync("slot", 1, null)));
        forms.add(new Form<>("moveWalRetention", () -> admin.moveWalRetention("slot", 2),
                () -> admin.moveWalRetentionAsync("slot", 2)));
        forms.add(new Form<>("releaseWalRetention", () -> admin.releaseWalRetention("slot"),
                () -> admin.releaseWalRetentionAsync("slot")));
        forms.add(new Form<>("createClone", () -> cloneAdmin().createClone(PATH, checkpoint),
                () -> cloneAdmin().createCloneAsync(PATH, checkpoint)));
        forms.add(new Form<>("deleteDb", () -> admin.deleteDb(true), () -> admin.deleteDbAsync(true)));
        forms.add(new Form<>("runGarbageCollection", () -> admin.runGarbageCollection(GC, false),
                () -> admin.runGarbageCollectionAsync(GC, false)));
        return forms;
    }

    private final List<Admin> clones = new ArrayList<>();

    private Admin cloneAdmin() {
        Admin clone = Admin.builder("clone", store).withClock(clock).build();
        clones.add(clone);
        return clone;
    }

    @AfterEach
    void closeClones() {
        clones.forEach(Admin::close);
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** What the future failed with, unwrapped. */
    private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(WAIT_SECONDS, TimeUnit.SECONDS));
        return Futures.unwrap(e);
    }

    private static void assertSameError(Form<?> form) throws Exception {
        SlateDbException thrown = assertThrows(SlateDbException.class, form.blocking()::get, form.name());
        Throwable failed = failureOf(form.async().get());
        assertEquals(thrown.getClass(), failed.getClass(), form.name());
        assertEquals(thrown.kind(), ((SlateDbException) failed).kind(), form.name());
    }

    @Test
    void readingFormsAnswerAlike() throws Exception {
        for (Form<?> form : readingForms()) {
            assertEquals(form.blocking().get(), await(form.async().get()), form.name());
        }
    }

    @Test
    void writingFormsDoWhatTheBlockingOnesDo() throws Exception {
        CheckpointCreateResult created = await(admin.createDetachedCheckpointAsync(CheckpointOptions.DEFAULT));
        assertTrue(admin.listCheckpoints().stream().anyMatch(c -> c.id().equals(created.id())));
        assertEquals(null, await(admin.refreshCheckpointAsync(created.id(), null)).expireTime());
        assertTrue(await(admin.deleteCheckpointAsync(created.id())));
        assertFalse(admin.deleteCheckpoint(created.id()));
        assertEquals(0, await(admin.removeExpiredCheckpointsAsync()));

        WalRetention slot = await(admin.createWalRetentionAsync("slot", 1, null));
        assertEquals(List.of(slot), admin.listWalRetentions());
        assertEquals(2, await(admin.moveWalRetentionAsync("slot", 2)).walId());
        assertTrue(await(admin.releaseWalRetentionAsync("slot")));
        assertFalse(admin.releaseWalRetention("slot"));

        ManifestSnapshot clone = await(cloneAdmin().createCloneAsync(PATH, checkpoint));
        assertEquals(clone, cloneAdmin().createClone(PATH, checkpoint), "a rerun validates the same clone");
        assertEquals(admin.deleteDb(false), await(admin.deleteDbAsync(true)));
        assertEquals(List.of(), Futures.join(memory.listAll(PATH + "/")), "every object of the database is gone");
    }

    @Test
    void storeFailuresFailBothFormsWithTheSameTypedError() throws Exception {
        store.inject(FaultRule.onEveryOperation(Fault.failPermanently()));
        for (Form<?> form : readingForms()) {
            assertSameError(form);
        }
        for (Form<?> form : writingForms()) {
            assertSameError(form);
        }
    }

    @Test
    void errorsOfTheCallFailBothFormsAlike() throws Exception {
        UUID missing = UUID.randomUUID();
        assertSameError(new Form<>("checkpointSize(missing)", () -> admin.checkpointSize(missing),
                () -> admin.checkpointSizeAsync(missing)));
        assertSameError(new Form<>("moveWalRetention(missing)", () -> admin.moveWalRetention("none", 3),
                () -> admin.moveWalRetentionAsync("none", 3)));
        assertSameError(new Form<>("createWalRetention(empty name)", () -> admin.createWalRetention("", 3, null),
                () -> admin.createWalRetentionAsync("", 3, null)));
        admin.close();
        for (Form<?> form : readingForms()) {
            assertSameError(form);
            assertEquals(ErrorKind.CLOSED, failureOf(form.async().get()) instanceof SlateDbException e ? e.kind() : null,
                    form.name());
        }
    }

    @Test
    void asyncFormsReturnBeforeTheStoreAnswers() throws Exception {
        List<Form<?>> forms = new ArrayList<>(readingForms());
        forms.addAll(writingForms());
        for (Form<?> form : forms) {
            Fault.Hold hold = Fault.hold();
            FaultInjectingObjectStore.InjectedFault rule = store.inject(FaultRule.onEveryOperation(hold));
            CompletableFuture<?> future = form.async().get();
            hold.reached().get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertFalse(future.isDone(), form.name() + " waits on its held request, not the caller");
            rule.remove();
            hold.release();
            future.handle((value, failure) -> null).get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCheckpointWaitsForItsManifestWriteHeldAtTheGate() throws Exception {
        GateStore gate = new GateStore(memory);
        try (Admin gated = Admin.builder(PATH, gate).withClock(clock).build()) {
            CompletableFuture<String> held = gate.shut(path -> path.contains("/manifest/"));
            CompletableFuture<CheckpointCreateResult> created = gated.createDetachedCheckpointAsync(CheckpointOptions.DEFAULT);
            held.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertFalse(created.isDone());
            gate.open();
            UUID id = await(created).id();
            assertTrue(admin.listCheckpoints().stream().anyMatch(c -> c.id().equals(id)));
        }
    }

    @Test
    void garbageCollectorFormsAnswerAndFailAlike() throws Exception {
        try (GarbageCollector gc = GarbageCollector.builder(PATH, store).withOptions(GC).withClock(clock).build()) {
            assertEquals(gc.runOnce(true), await(gc.runOnceAsync(true)));
            assertEquals(gc.runTask(GarbageCollectorTask.WAL, true), await(gc.runTaskAsync(GarbageCollectorTask.WAL, true)));

            Fault.Hold hold = Fault.hold();
            FaultInjectingObjectStore.InjectedFault rule = store.inject(FaultRule.onEveryOperation(hold));
            CompletableFuture<GarbageCollectorResult> run = gc.runOnceAsync(false);
            hold.reached().get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertFalse(run.isDone());
            rule.remove();
            hold.release();
            assertFalse(await(run).dryRun());

            store.inject(FaultRule.on(Operation.GET, Fault.failPermanently()));
            assertSameError(new Form<>("runOnce", () -> gc.runOnce(false), () -> gc.runOnceAsync(false)));
            assertSameError(new Form<>("runTask", () -> gc.runTask(GarbageCollectorTask.MANIFEST, false),
                    () -> gc.runTaskAsync(GarbageCollectorTask.MANIFEST, false)));
            store.clearFaults();

            await(gc.closeAsync());
            assertEquals(ErrorKind.CLOSED, assertThrows(SlateDbException.class, gc::start).kind());
        }
        GarbageCollectorOptions walOnly = GC.toBuilder().manifestOptions(null).build();
        try (GarbageCollector gc = GarbageCollector.builder(PATH, store).withOptions(walOnly).build()) {
            assertThrows(IllegalStateException.class, () -> gc.runTask(GarbageCollectorTask.MANIFEST, true));
            assertThrows(IllegalStateException.class, () -> gc.runTaskAsync(GarbageCollectorTask.MANIFEST, true));
        }
    }

    @Test
    void compactorFormsAnswerAndFailAlike() throws Exception {
        CompactorOptions options = CompactorOptions.builder().build();
        try (Db db = Db.builder(PATH, memory).withSettings(SETTINGS).build()) {
            for (int i = 0; i < 4; i++) {
                db.put(("more" + i).getBytes(StandardCharsets.UTF_8), new byte[]{1});
                db.flush(FlushType.MEMTABLE);
            }
        }
        Compactor compactor = Compactor.builder(PATH, store).withOptions(options).build();
        try {
            Fault.Hold hold = Fault.hold();
            FaultInjectingObjectStore.InjectedFault rule = store.inject(FaultRule.onEveryOperation(hold));
            CompletableFuture<Void> idle = compactor.runUntilIdleAsync();
            hold.reached().get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertFalse(idle.isDone(), "the compactor waits on its held request, not the caller");
            rule.remove();
            hold.release();
            await(idle);
            assertTrue(compactor.completedCompactions() > 0, "8 L0 SSTs were compacted");
            compactor.runUntilIdle();

            store.inject(FaultRule.on(Operation.GET, Fault.failPermanently()));
            assertSameError(new Form<>("runUntilIdle", () -> {
                compactor.runUntilIdle();
                return null;
            }, compactor::runUntilIdleAsync));
            store.clearFaults();
        } finally {
            await(compactor.closeAsync());
        }
        assertSameError(new Form<>("runUntilIdle (closed)", () -> {
            compactor.runUntilIdle();
            return null;
        }, compactor::runUntilIdleAsync));
    }
}
