package io.slatedb.db;

import io.slatedb.CloseReason;
import io.slatedb.Db;
import io.slatedb.ErrorKind;
import io.slatedb.FlushType;
import io.slatedb.PutOptions;
import io.slatedb.Settings;
import io.slatedb.SlateDbException;
import io.slatedb.WriteBatch;
import io.slatedb.WriteOptions;
import io.slatedb.testing.Fault;
import io.slatedb.testing.FaultInjectingObjectStore;
import io.slatedb.testing.FaultInjectingObjectStore.Operation;
import io.slatedb.testing.FaultRule;
import io.slatedb.store.DelayScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.slatedb.db.ReadSemanticsTest.bytes;
import static io.slatedb.db.ReadSemanticsTest.string;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writer on a failing store. Transient errors (and puts that were stored although the answer
 * was lost) are retried and every write succeeds. A permanent error on a WAL or L0 write fails the
 * call that waited on it with a typed error (UNAVAILABLE, or CLOSED with reason PANIC once the writer
 * has stopped), later calls fail as CLOSED, and a new writer finds every acknowledged write and none
 * that never reached the store. A permanent error on a read fails that read only.
 */
@Timeout(60)
class WriterFaultsTest {
    private static final Settings SETTINGS = Settings.builder()
            .flushInterval(Duration.ofMillis(5))
            .manifestPollInterval(Duration.ofMillis(50))
            .l0SstSizeBytes(1024)
            .l0MaxSsts(100)
            .blockCacheBytes(0)
            .build();

    private final DelayScheduler faultTimer = DelayScheduler.create("slatedb-test-faults");

    @AfterEach
    void stopTimer() {
        faultTimer.close();
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void transientErrorsAndLostAnswersAreRetriedAndEveryWriteSucceeds(TestStore kind) {
        try (TestStore.Opened opened = kind.open()) {
            FaultInjectingObjectStore faulty = new FaultInjectingObjectStore(opened.store(), faultTimer, 7);
            // Lost answers on the first WAL files, the first L0 SST and the first manifest after the claim.
            FaultInjectingObjectStore.InjectedFault lostWal = faulty.inject(FaultRule.on(Operation.PUT,
                    Fault.applyThenFail()).forPaths(path -> path.contains("/wal/")).times(3));
            FaultInjectingObjectStore.InjectedFault lostSst = faulty.inject(FaultRule.on(Operation.PUT,
                    Fault.applyThenFail()).forPaths(path -> path.contains("/compacted/")).once());
            FaultInjectingObjectStore.InjectedFault failed = faulty.inject(
                    FaultRule.onEveryOperation(Fault.failTransiently()).withProbability(0.1).always());
            Map<String, String> expected = new LinkedHashMap<>();
            FaultInjectingObjectStore.InjectedFault lostManifest = null;
            try (Db db = Db.builder("db", faulty).withSettings(SETTINGS).build()) {
                lostManifest = faulty.inject(FaultRule.on(Operation.PUT, Fault.applyThenFail())
                        .forPaths(path -> path.contains("/manifest/")).once());
                for (int i = 0; i < 20; i++) {
                    String key = "k" + (i % 12);
                    if (i % 7 == 3) {
                        db.delete(bytes(key));
                        expected.remove(key);
                    } else if (i % 5 == 0) {
                        db.write(new WriteBatch().put(bytes(key), bytes("b" + i)).put(bytes("x" + i), bytes("x")));
                        expected.put(key, "b" + i);
                        expected.put("x" + i, "x");
                    } else {
                        db.put(bytes(key), bytes(("v" + i).repeat(20)));
                        expected.put(key, ("v" + i).repeat(20));
                    }
                    if (i % 10 == 9) {
                        db.flush(FlushType.MEMTABLE);
                    }
                    assertEquals(expected.get(key), string(db.get(bytes(key))));
                }
            } // closing flushes through the faults too
            assertEquals(3, lostWal.fired());
            assertEquals(1, lostSst.fired());
            assertEquals(1, lostManifest.fired());
            assertTrue(failed.fired() > 0, "transient failures: " + failed.fired());
            try (Db db = Db.builder("db", opened.store()).withSettings(SETTINGS).build()) {
                assertContains(db, expected);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void aPermanentWalFailureIsTypedAndLosesNothingAcknowledged(TestStore kind) {
        try (TestStore.Opened opened = kind.open()) {
            FaultInjectingObjectStore faulty = new FaultInjectingObjectStore(opened.store(), faultTimer, 7);
            Map<String, String> acknowledged = new LinkedHashMap<>();
            Db db = Db.builder("db", faulty).withSettings(SETTINGS).build();
            try {
                writeAcknowledged(db, acknowledged);
                faulty.inject(FaultRule.on(Operation.PUT, Fault.failPermanently())
                        .forPaths(path -> path.contains("/wal/")).always());
                assertFailedTyped(assertThrows(SlateDbException.class, () -> db.put(bytes("lost"), bytes("never stored"))));
                assertStopped(db);
            } finally {
                assertDoesNotThrow(db::close, "a failed writer closes without flushing");
            }
            try (Db reopened = Db.builder("db", opened.store()).withSettings(SETTINGS).build()) {
                assertContains(reopened, acknowledged);
                assertNull(reopened.get(bytes("lost")), "a write whose WAL file never reached the store");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void aPermanentL0FailureIsTypedAndLosesNothingAcknowledged(TestStore kind) {
        try (TestStore.Opened opened = kind.open()) {
            FaultInjectingObjectStore faulty = new FaultInjectingObjectStore(opened.store(), faultTimer, 7);
            Map<String, String> acknowledged = new LinkedHashMap<>();
            Db db = Db.builder("db", faulty).withSettings(SETTINGS).build();
            try {
                writeAcknowledged(db, acknowledged);
                faulty.inject(FaultRule.on(Operation.PUT, Fault.failPermanently())
                        .forPaths(path -> path.contains("/compacted/")).always());
                db.put(bytes("in-wal"), bytes("durable"));
                acknowledged.put("in-wal", "durable");
                assertFailedTyped(assertThrows(SlateDbException.class, () -> db.flush(FlushType.MEMTABLE)));
                assertStopped(db);
            } finally {
                assertDoesNotThrow(db::close, "a failed writer closes without flushing");
            }
            try (Db reopened = Db.builder("db", opened.store()).withSettings(SETTINGS).build()) {
                assertContains(reopened, acknowledged);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void aPermanentReadFailureFailsOnlyThatRead(TestStore kind) {
        try (TestStore.Opened opened = kind.open()) {
            FaultInjectingObjectStore faulty = new FaultInjectingObjectStore(opened.store(), faultTimer, 7);
            try (Db db = Db.builder("db", faulty).withSettings(SETTINGS).build()) {
                db.put(bytes("k"), bytes("in L0"));
                db.flush(FlushType.MEMTABLE);
                FaultInjectingObjectStore.InjectedFault reads = faulty.inject(FaultRule.on(Operation.GET,
                        Fault.failPermanently()).forPaths(path -> path.contains("/compacted/")).always());
                SlateDbException e = assertThrows(SlateDbException.class, () -> db.get(bytes("k")));
                assertEquals(ErrorKind.UNAVAILABLE, e.kind(), e.toString());
                db.put(bytes("other"), bytes("still writable"));
                reads.remove();
                assertEquals("in L0", string(db.get(bytes("k"))));
                assertEquals("still writable", string(db.get(bytes("other"))));
            }
        }
    }

    /** Acknowledged writes, some of them flushed to L0 and some only in the WAL. */
    private static void writeAcknowledged(Db db, Map<String, String> acknowledged) {
        for (int i = 0; i < 20; i++) {
            db.put(bytes("k" + i), bytes(("v" + i).repeat(10)));
            acknowledged.put("k" + i, ("v" + i).repeat(10));
            if (i == 9) {
                db.flush(FlushType.MEMTABLE);
            }
        }
        CompletableFuture<?> unawaited = db.putAsync(bytes("k20"), bytes("v20"), PutOptions.DEFAULT, WriteOptions.NO_AWAIT)
                .thenCompose(handle -> handle.durable());
        unawaited.join();
        acknowledged.put("k20", "v20");
    }

    /** The call that hit the failure: the store's error, or the writer's CLOSED if it stopped first. */
    private static void assertFailedTyped(SlateDbException e) {
        if (e.kind() == ErrorKind.CLOSED) {
            assertEquals(CloseReason.PANIC, e.closeReason(), e.toString());
            assertTrue(hasUnavailableCause(e), "the writer stopped because the store failed: " + e);
        } else {
            assertEquals(ErrorKind.UNAVAILABLE, e.kind(), e.toString());
        }
    }

    private static boolean hasUnavailableCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SlateDbException s && s.kind() == ErrorKind.UNAVAILABLE) {
                return true;
            }
        }
        return false;
    }

    /** Every later call fails as CLOSED, reason PANIC. */
    private static void assertStopped(Db db) {
        for (Executable call : new Executable[]{
                () -> db.put(bytes("after"), bytes("failure")),
                () -> db.get(bytes("k1")),
                () -> db.flush(FlushType.WAL)}) {
            SlateDbException e = assertThrows(SlateDbException.class, call);
            assertEquals(ErrorKind.CLOSED, e.kind(), e.toString());
            assertEquals(CloseReason.PANIC, e.closeReason(), e.toString());
        }
    }

    private static void assertContains(Db db, Map<String, String> expected) {
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertEquals(e.getValue(), string(db.get(bytes(e.getKey()))), e.getKey());
        }
    }
}
