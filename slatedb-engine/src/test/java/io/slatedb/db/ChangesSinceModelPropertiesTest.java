package io.slatedb.db;

import io.slatedb.ChangeIterator;
import io.slatedb.ChangeKind;
import io.slatedb.ChangeRow;
import io.slatedb.CheckpointCreateResult;
import io.slatedb.CheckpointOptions;
import io.slatedb.CheckpointScope;
import io.slatedb.Compactor;
import io.slatedb.CompactorOptions;
import io.slatedb.Db;
import io.slatedb.DbReader;
import io.slatedb.DbReaderSnapshot;
import io.slatedb.FlushType;
import io.slatedb.Settings;
import io.slatedb.WriteHandle;
import io.slatedb.testing.MutableClock;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link DbReaderSnapshot#scanChangesSince} against a model that keeps every write of every key: random
 * puts, deletes and merges (concatenation), WAL and memtable flushes and compactions by a standalone
 * compactor with the same operator; at random points a reader of a new checkpoint (with WAL still to
 * replay) lists the changes since a random sequence number. Per key changed since then it must return
 * the model's newest write: a put exactly; a merge as its raw operand (or operands compaction folded
 * together, newest last) or, when compaction folded it onto a base, as a put of the merged value; a
 * delete as a delete, which may only be missing when a compaction ran after it (compaction drops
 * tombstones at the last sorted run). Nothing else appears.
 */
class ChangesSinceModelPropertiesTest {
    private static final int KEYS = 10;

    enum Kind { PUT, DELETE, MERGE }

    sealed interface Step {
    }

    record Write(Kind kind, int key, byte[] value) implements Step {
        @Override
        public String toString() {
            return kind + "(" + MergeModelPropertiesTest.key(key) + ")";
        }
    }

    record Flush(FlushType type) implements Step {
    }

    record Compact() implements Step {
    }

    /** Lists the changes after {@code fraction} of the sequence numbers written so far. */
    record Check(double fraction) implements Step {
    }

    /** One write in the model, with how many compactions had completed before it. */
    record Version(Kind kind, byte[] value, long seq, long createTs, int compactionsBefore) {
    }

    @Property(tries = 30)
    void inMemory(@ForAll("runs") List<Step> steps) {
        Driver driver = assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            try (TestStore.Opened opened = TestStore.MEMORY.open()) {
                Driver d = new Driver(opened);
                d.run(steps);
                return d;
            }
        }, () -> "steps: " + steps);
        Statistics.label("compactions").collect(driver.compactions == 0 ? "none" : driver.compactions < 3 ? "1-2" : "3+");
        Statistics.label("deletes dropped by compaction").collect(driver.droppedDeletes > 0);
    }

    @Provide
    Arbitrary<List<Step>> runs() {
        Arbitrary<Integer> key = Arbitraries.integers().between(0, KEYS - 1);
        Arbitrary<byte[]> value = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(4);
        Arbitrary<Step> write = Combinators.combine(Arbitraries.frequency(Tuple.of(4, Kind.PUT),
                Tuple.of(3, Kind.DELETE), Tuple.of(3, Kind.MERGE)), key, value)
                .as((kind, k, v) -> new Write(kind, k, kind == Kind.DELETE ? null : v));
        return Arbitraries.frequencyOf(
                Tuple.of(14, write),
                Tuple.of(2, Arbitraries.of(FlushType.class).map(Flush::new)),
                Tuple.of(2, Arbitraries.just(new Compact())),
                Tuple.of(2, Arbitraries.doubles().between(0, 1).map(Check::new)))
                .list().ofMinSize(5).ofMaxSize(60);
    }

    private static final class Driver {
        private final TestStore.Opened opened;
        private final Settings settings = Settings.builder()
                .flushInterval(Duration.ofMillis(5))
                .manifestPollInterval(Duration.ofMillis(50))
                .l0SstSizeBytes(256)
                .l0MaxSsts(1000)
                .l0MaxSstsPerKey(1000)
                .sstBlockSize(1024)
                .compactorOptions(null)
                .garbageCollectorOptions(null)
                .build();
        private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        /** Every write per key, oldest first. */
        private final Map<String, List<Version>> model = new TreeMap<>();
        private long lastSeq;
        private int compactions;
        private int droppedDeletes;
        private Db db;

        Driver(TestStore.Opened opened) {
            this.opened = opened;
        }

        void run(List<Step> steps) {
            db = Db.builder("db", opened.store()).withSettings(settings).withClock(clock)
                    .withMergeOperator(MergeModelPropertiesTest.CONCAT).build();
            try {
                for (Step step : steps) {
                    clock.advance(Duration.ofMillis(1));
                    step(step);
                }
                for (double fraction : new double[] {0, 0.5, 1}) {
                    check(fraction);
                }
            } finally {
                db.close();
            }
        }

        private void step(Step step) {
            if (step instanceof Write write) {
                String key = MergeModelPropertiesTest.key(write.key());
                byte[] keyBytes = DbModel.bytes(key);
                WriteHandle handle = switch (write.kind()) {
                    case PUT -> db.put(keyBytes, write.value());
                    case DELETE -> db.delete(keyBytes);
                    case MERGE -> db.merge(keyBytes, write.value());
                };
                lastSeq = handle.seq();
                model.computeIfAbsent(key, k -> new ArrayList<>())
                        .add(new Version(write.kind(), write.value(), handle.seq(), handle.createTs(), compactions));
            } else if (step instanceof Flush flush) {
                db.flush(flush.type());
            } else if (step instanceof Compact) {
                db.flush(FlushType.MEMTABLE);
                CompactorOptions full = CompactorOptions.builder().minCompactionSources(2).maxCompactionSources(64)
                        .includeSizeThreshold(1e9).build();
                try (Compactor compactor = Compactor.builder("db", opened.store()).withOptions(full)
                        .withSettings(settings).withClock(clock).withMergeOperator(MergeModelPropertiesTest.CONCAT)
                        .build()) {
                    compactor.runUntilIdle();
                    compactions += (int) compactor.completedCompactions();
                }
            } else if (step instanceof Check check) {
                check(check.fraction());
            } else {
                throw new IllegalArgumentException(String.valueOf(step));
            }
        }

        /** The changes after a sequence number, read at a new checkpoint whose WAL the reader replays. */
        private void check(double fraction) {
            long sinceSeq = (long) Math.floor(lastSeq * fraction);
            db.flush(FlushType.WAL);
            CheckpointCreateResult checkpoint = db.createCheckpoint(CheckpointScope.DURABLE, CheckpointOptions.DEFAULT);
            try (DbReader reader = DbReader.builder("db", opened.store()).withCheckpointId(checkpoint.id())
                    .withMergeOperator(MergeModelPropertiesTest.CONCAT).build()) {
                DbReaderSnapshot snapshot = reader.snapshot();
                assertEquals(lastSeq, snapshot.position().seq(), "the checkpoint's reader sees every write");
                Map<String, ChangeRow> actual = new TreeMap<>();
                try (ChangeIterator rows = snapshot.scanChangesSince(sinceSeq, null, null)) {
                    byte[] previous = null;
                    while (rows.hasNext()) {
                        ChangeRow row = rows.next();
                        assertTrue(previous == null || Arrays.compareUnsigned(previous, row.key()) < 0,
                                "keys ascend, each once");
                        previous = row.key();
                        actual.put(DbModel.string(row.key()), row);
                    }
                }
                compare(sinceSeq, actual, snapshot);
            }
        }

        private void compare(long sinceSeq, Map<String, ChangeRow> actual, DbReaderSnapshot snapshot) {
            String at = "changes since " + sinceSeq + " of " + lastSeq;
            for (Map.Entry<String, List<Version>> entry : model.entrySet()) {
                String key = entry.getKey();
                List<Version> versions = entry.getValue();
                Version newest = versions.get(versions.size() - 1);
                ChangeRow row = actual.remove(key);
                if (newest.seq() <= sinceSeq) {
                    assertEquals(null, row, at + ": " + key + " did not change");
                    continue;
                }
                if (row == null) {
                    assertEquals(Kind.DELETE, newest.kind(), at + ": " + key + " changed at " + newest.seq());
                    assertTrue(compactions > newest.compactionsBefore(),
                            at + ": the delete of " + key + " is missing, and no compaction ran after it");
                    droppedDeletes++;
                    continue;
                }
                assertEquals(newest.seq(), row.seq(), at + ": seq of " + key);
                assertEquals(newest.createTs(), row.createTs().orElseThrow(), at + ": create time of " + key);
                switch (newest.kind()) {
                    case PUT -> {
                        assertEquals(ChangeKind.PUT, row.kind(), at + ": " + key);
                        assertArrayEquals(newest.value(), row.value(), at + ": " + key);
                    }
                    case DELETE -> assertEquals(ChangeKind.DELETE, row.kind(), at + ": " + key);
                    case MERGE -> {
                        if (row.kind() == ChangeKind.PUT) {
                            // Folded onto its base by compaction: the merged value, as a read gives it.
                            assertArrayEquals(snapshot.get(DbModel.bytes(key)), row.value(), at + ": " + key);
                        } else {
                            assertEquals(ChangeKind.MERGE, row.kind(), at + ": " + key);
                            assertTrue(isNewestOperands(versions, row.value()),
                                    at + ": " + key + " operand " + Arrays.toString(row.value()));
                        }
                    }
                    default -> fail(newest.kind().toString());
                }
            }
            assertFalse(actual.keySet().stream().findAny().isPresent(), at + ": keys never written " + actual.keySet());
        }

        /** Whether {@code value} is the concatenation of the key's k newest operands (k at least 1). */
        private static boolean isNewestOperands(List<Version> versions, byte[] value) {
            List<byte[]> operands = new ArrayList<>(); // oldest first
            for (int i = versions.size() - 1; i >= 0 && versions.get(i).kind() == Kind.MERGE; i--) {
                operands.add(0, versions.get(i).value());
                if (Arrays.equals(MergeModelPropertiesTest.concat(null, operands), value)) {
                    return true;
                }
            }
            return false;
        }
    }
}
