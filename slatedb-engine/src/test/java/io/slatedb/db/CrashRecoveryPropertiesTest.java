package io.slatedb.db;

import io.slatedb.Db;
import io.slatedb.DbIterator;
import io.slatedb.FlushType;
import io.slatedb.KeyValue;
import io.slatedb.Settings;
import io.slatedb.SlateDbException;
import io.slatedb.WriteBatch;
import io.slatedb.WriteHandle;
import io.slatedb.WriteOptions;
import io.slatedb.testing.MutableClock;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writers abandoned at random points, then a new writer opened on the same database: every write
 * acknowledged as durable is there, nothing that was never written appears, and writes that were not
 * acknowledged are there or not as whole batches, as a prefix of the write order. The new writer's
 * contents must equal the model as of its last sequence number, which lies between the last
 * acknowledged write and the last write made.
 *
 * <p>How a writer is abandoned: its store is cut off (every later call fails, as if its process had
 * died), possibly right after a WAL put that was stored but whose answer was lost; or it is simply
 * left running, unused, and the new writer fences it. One mode loses a WAL put's answer and lets the
 * writer go on: its retry must find its own object and succeed.
 */
class CrashRecoveryPropertiesTest {
    private static final int KEYS = 30;

    enum Abandon { CUT_OFF, LOST_ANSWER_THEN_CUT_OFF, LOST_ANSWER_THEN_GO_ON, LEFT_RUNNING }

    sealed interface Step {
    }

    record Write(List<Map.Entry<Integer, Integer>> ops, boolean await) implements Step {
    }

    record Flush(FlushType type) implements Step {
    }

    record Session(List<Step> steps, Abandon abandon) {
    }

    @Property(tries = 25)
    void inMemory(@ForAll("sessions") List<Session> sessions) {
        check(TestStore.MEMORY, sessions);
    }

    @Property(tries = 6)
    void onLocalDirectory(@ForAll("sessions") List<Session> sessions) {
        check(TestStore.LOCAL, sessions);
    }

    @Property(tries = 2)
    void onS3(@ForAll("sessions") List<Session> sessions) {
        check(TestStore.S3, sessions);
    }

    @Provide
    Arbitrary<List<Session>> sessions() {
        // An op is a key and a value length; a negative length is a delete.
        Arbitrary<Map.Entry<Integer, Integer>> op = Combinators.combine(Arbitraries.integers().between(0, KEYS - 1),
                Arbitraries.integers().between(-40, 300)).as(Map::entry);
        Arbitrary<Step> write = Combinators.combine(op.list().ofMinSize(1).ofMaxSize(4), Arbitraries.of(true, false))
                .as(Write::new);
        Arbitrary<Step> flush = Arbitraries.of(FlushType.class).map(Flush::new);
        Arbitrary<Step> step = Arbitraries.frequencyOf(Tuple.of(12, write), Tuple.of(1, flush));
        Arbitrary<Session> session = Combinators.combine(step.list().ofMinSize(1).ofMaxSize(30),
                Arbitraries.of(Abandon.class)).as(Session::new);
        return session.list().ofMinSize(1).ofMaxSize(4);
    }

    private void check(TestStore kind, List<Session> sessions) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (TestStore.Opened opened = kind.open()) {
                new Driver(opened).run(sessions);
            }
        }, () -> "sessions: " + sessions);
    }

    private static final class Driver {
        private final TestStore.Opened opened;
        private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        private final DbModel model = new DbModel();
        private final Settings settings = Settings.builder()
                .flushInterval(Duration.ofMillis(5))
                .manifestPollInterval(Duration.ofMillis(20))
                .l0SstSizeBytes(512)
                .maxUnflushedBytes(64 * 1024)
                .l0MaxSsts(1000)
                .l0MaxSstsPerKey(1000)
                .objectStoreMaxRetries(3)
                .build();
        private final List<Db> abandoned = new ArrayList<>();

        /** A writer and its view of the store. */
        private record Writer(Db db, CutOffStore store) {
        }
        private long acknowledged;
        private int valueCounter;

        Driver(TestStore.Opened opened) {
            this.opened = opened;
        }

        void run(List<Session> sessions) {
            try {
                for (Session session : sessions) {
                    Writer writer = openAndCheck();
                    abandoned.add(writer.db());
                    play(writer.db(), writer.store(), session);
                }
                try (Db db = Db.builder("db", opened.store()).withSettings(settings).withClock(clock).build()) {
                    checkRecovered(db);
                }
            } finally {
                for (Db db : abandoned) {
                    closeQuietly(db);
                }
            }
        }

        private Writer openAndCheck() {
            CutOffStore store = new CutOffStore(opened.store());
            Db db = Db.builder("db", store).withSettings(settings).withClock(clock).build();
            checkRecovered(db);
            return new Writer(db, store);
        }

        /** The new writer holds the model as of its last sequence number; the later writes are gone for good. */
        private void checkRecovered(Db db) {
            long recovered = db.lastSeq();
            assertTrue(recovered >= acknowledged, "recovered up to " + recovered + ", but " + acknowledged
                    + " was acknowledged as durable");
            assertTrue(recovered <= model.lastSeq(), "recovered up to " + recovered + ", but the last write was "
                    + model.lastSeq());
            List<KeyValue> actual = new ArrayList<>();
            try (DbIterator it = db.scan(null, null)) {
                it.forEachRemaining(actual::add);
            }
            assertEquals(List.copyOf(model.at(recovered).values()), actual, "the database after recovery to " + recovered);
            model.truncateAfter(recovered);
            acknowledged = recovered; // everything recovered is durable
        }

        private void play(Db db, CutOffStore store, Session session) {
            List<WriteHandle> unacknowledged = new ArrayList<>();
            if (session.abandon() == Abandon.LOST_ANSWER_THEN_GO_ON) {
                store.loseNextWalAnswer(false);
            }
            for (Step step : session.steps()) {
                clock.advance(Duration.ofMillis(1));
                if (step instanceof Write write) {
                    WriteHandle handle = write(db, write);
                    if (write.await()) {
                        acknowledged = handle.seq();
                    } else {
                        unacknowledged.add(handle);
                    }
                } else if (step instanceof Flush flush) {
                    db.flush(flush.type());
                    acknowledged = model.lastSeq();
                }
            }
            switch (session.abandon()) {
                case CUT_OFF -> store.cutOff();
                case LOST_ANSWER_THEN_CUT_OFF -> {
                    store.loseNextWalAnswer(true);
                    // One more write, flushed at once, so that there is a WAL put whose answer is lost.
                    unacknowledged.add(write(db, new Write(List.of(Map.entry(0, 10)), false)));
                    CompletableFuture<Void> flushed = db.flushAsync(FlushType.WAL);
                    flushed.handle((ok, error) -> null).orTimeout(30, TimeUnit.SECONDS).join();
                    store.cutOff();
                }
                case LOST_ANSWER_THEN_GO_ON -> {
                    db.flush(FlushType.WAL);
                    acknowledged = model.lastSeq();
                    assertTrue(store.lostAnswer().isDone() || session.steps().stream().noneMatch(s -> s instanceof Write),
                            "a WAL put's answer was lost");
                }
                case LEFT_RUNNING -> {
                }
            }
            // Writes that became durable before the writer was abandoned are acknowledged too.
            for (WriteHandle handle : unacknowledged) {
                CompletableFuture<Void> durable = handle.durable();
                if (durable.isDone() && !durable.isCompletedExceptionally()) {
                    acknowledged = Math.max(acknowledged, handle.seq());
                }
            }
        }

        private WriteHandle write(Db db, Write write) {
            WriteBatch batch = new WriteBatch();
            Map<String, byte[]> last = new LinkedHashMap<>();
            for (Map.Entry<Integer, Integer> op : write.ops()) {
                String key = DbModelPropertiesTest.key(op.getKey());
                byte[] value = op.getValue() < 0 ? null : value(op.getValue());
                if (value == null) {
                    batch.delete(key.getBytes());
                } else {
                    batch.put(key.getBytes(), value);
                }
                last.remove(key);
                last.put(key, value);
            }
            WriteHandle handle = db.write(batch, write.await() ? WriteOptions.DEFAULT : WriteOptions.NO_AWAIT);
            List<DbModel.Change> changes = new ArrayList<>();
            last.forEach((key, value) -> changes.add(value == null ? DbModel.Change.delete(key)
                    : DbModel.Change.put(key, value, java.util.OptionalLong.empty())));
            model.record(handle.seq(), handle.createTs(), changes);
            return handle;
        }

        /** A value of {@code length} bytes that no other write of the run has. */
        private byte[] value(int length) {
            byte[] value = new byte[Math.max(length, 4)];
            int n = ++valueCounter;
            value[0] = (byte) (n >>> 24);
            value[1] = (byte) (n >>> 16);
            value[2] = (byte) (n >>> 8);
            value[3] = (byte) n;
            return value;
        }

        private static void closeQuietly(Db db) {
            try {
                db.close();
            } catch (SlateDbException e) {
                // A cut-off or fenced writer may fail to close; its threads stop all the same.
            }
        }
    }
}
