package io.slatedb.db;

import io.slatedb.metrics.SlateDbMetricNames;
import io.slatedb.Db;
import io.slatedb.DbIterator;
import io.slatedb.DurabilityLevel;
import io.slatedb.FlushType;
import io.slatedb.KeyValue;
import io.slatedb.PutOptions;
import io.slatedb.ReadOptions;
import io.slatedb.ScanOptions;
import io.slatedb.Settings;
import io.slatedb.Ttl;
import io.slatedb.WriteBatch;
import io.slatedb.WriteHandle;
import io.slatedb.WriteOptions;
import io.slatedb.testing.MutableClock;
import io.slatedb.metrics.SimpleMetricRegistry;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.function.LongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The writer against a sorted-map model ({@link DbModel}): random puts (with every kind of time to
 * live), deletes, batches, gets, scans (unbounded, half-open, one-sided, prefix), WAL and memtable
 * flushes and close-and-reopen, on each kind of store. The SSTs are tiny ({@code l0_sst_size_bytes}
 * of 512 bytes), so memtables freeze and go to L0 every few writes and reads merge memtables, immutable
 * memtables and many L0 SSTs. Every read is checked exactly: value, sequence number, creation and
 * expiry time. Reads limited to durable data are checked against the model as of some sequence
 * number between the durable sequence number before and after the read.
 */
class DbModelPropertiesTest {
    private static final long TTL_DEFAULT_MILLIS = 3_600_000;
    private static final long TTL_AFTER_MILLIS = 7_200_000;
    private static final int KEYS = 40;

    enum TtlChoice { DEFAULT, NO_EXPIRY, AFTER, AT }

    sealed interface Step {
    }

    record Put(int key, byte[] value, TtlChoice ttl, boolean await) implements Step {
        @Override
        public String toString() {
            return "Put(" + DbModelPropertiesTest.key(key) + ", " + value.length + " bytes, " + ttl + (await ? ", await" : "") + ")";
        }
    }

    record Delete(int key, boolean await) implements Step {
    }

    /** A batch: a value (or null for a delete) per key, applied in order, later ops replacing earlier ones. */
    record Batch(List<BatchOp> ops, boolean await) implements Step {
        @Override
        public String toString() {
            return "Batch(" + ops.stream().map(e -> key(e.key()) + (e.value() == null ? "=del" : "=" + e.value().length))
                    .toList() + (await ? ", await" : "") + ")";
        }
    }

    record BatchOp(int key, byte[] value) {
    }

    record Get(int key, DurabilityLevel durability) implements Step {
    }

    enum ScanShape { ALL, RANGE, FROM, TO, PREFIX }

    record Scan(ScanShape shape, int a, int b, DurabilityLevel durability) implements Step {
    }

    record Flush(FlushType type) implements Step {
    }

    record Reopen() implements Step {
    }

    record Run(List<Step> steps, boolean defaultTtl, int parallelism) {
    }

    // ---------------------------------------------------------------- properties

    @Property(tries = 30)
    void inMemory(@ForAll("runs") Run run) {
        check(TestStore.MEMORY, run);
    }

    @Property(tries = 10)
    void onLocalDirectory(@ForAll("runs") Run run) {
        check(TestStore.LOCAL, run);
    }

    @Property(tries = 4)
    void onS3(@ForAll("shortRuns") Run run) {
        check(TestStore.S3, run);
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<Run> runs() {
        return runs(80);
    }

    /** Runs for S3, where every request costs a round trip through S3Proxy. */
    @Provide
    Arbitrary<Run> shortRuns() {
        return runs(40);
    }

    private static Arbitrary<Run> runs(int maxSteps) {
        return Combinators.combine(steps().list().ofMinSize(5).ofMaxSize(maxSteps), Arbitraries.of(true, false),
                Arbitraries.integers().between(1, 4)).as(Run::new);
    }

    private static Arbitrary<Step> steps() {
        Arbitrary<Integer> key = Arbitraries.integers().between(0, KEYS - 1);
        Arbitrary<byte[]> value = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.bytes().array(byte[].class).ofMaxSize(200)),
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(900).ofMaxSize(1500)));
        Arbitrary<Boolean> await = Arbitraries.of(true, false);
        Arbitrary<DurabilityLevel> durability = Arbitraries.of(DurabilityLevel.class);
        Arbitrary<Step> put = Combinators.combine(key, value, Arbitraries.of(TtlChoice.class), await).as(Put::new);
        Arbitrary<Step> delete = Combinators.combine(key, await).as(Delete::new);
        Arbitrary<BatchOp> batchOp = Combinators.combine(key,
                Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, value), net.jqwik.api.Tuple.of(1, Arbitraries.just((byte[]) null))))
                .as(BatchOp::new);
        Arbitrary<Step> batch = Combinators.combine(batchOp.list().ofMinSize(1).ofMaxSize(6), await).as(Batch::new);
        Arbitrary<Step> get = Combinators.combine(key, durability).as(Get::new);
        Arbitrary<Step> scan = Combinators.combine(Arbitraries.of(ScanShape.class), key, key, durability).as(Scan::new);
        Arbitrary<Step> flush = Arbitraries.of(FlushType.class).map(Flush::new);
        Arbitrary<Step> reopen = Arbitraries.just(new Reopen());
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(10, put),
                net.jqwik.api.Tuple.of(3, delete),
                net.jqwik.api.Tuple.of(3, batch),
                net.jqwik.api.Tuple.of(6, get),
                net.jqwik.api.Tuple.of(3, scan),
                net.jqwik.api.Tuple.of(2, flush),
                net.jqwik.api.Tuple.of(1, reopen));
    }

    // ---------------------------------------------------------------- the check

    private void check(TestStore kind, Run run) {
        long l0Flushes = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (TestStore.Opened opened = kind.open()) {
                return new Driver(opened, run).run();
            }
        }, () -> "steps: " + run.steps());
        Statistics.label("L0 flushes").collect(l0Flushes == 0 ? "none" : l0Flushes < 4 ? "1-3" : l0Flushes < 10 ? "4-9" : "10+");
    }

    /** Runs one sequence of steps against one database and the model. */
    private static final class Driver {
        private final TestStore.Opened opened;
        private final Run run;
        private final Settings settings;
        private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        private final DbModel model = new DbModel();
        private long l0Flushes;
        private Db db;

        Driver(TestStore.Opened opened, Run run) {
            this.opened = opened;
            this.run = run;
            this.settings = Settings.builder()
                    .flushInterval(Duration.ofMillis(5))
                    .manifestPollInterval(Duration.ofMillis(50))
                    .l0SstSizeBytes(512)
                    .maxUnflushedBytes(64 * 1024)
                    .l0MaxSsts(1000)
                    .l0MaxSstsPerKey(1000)
                    .l0FlushParallelism(run.parallelism())
                    .defaultTtlMillis(run.defaultTtl() ? TTL_DEFAULT_MILLIS : null)
                    .sstBlockSize(1024)
                    .minFilterKeys(2)
                    .build();
        }

        /** Runs the steps and returns how many L0 SSTs were flushed. */
        long run() {
            open();
            try {
                for (Step step : run.steps()) {
                    clock.advance(Duration.ofMillis(1));
                    step(step);
                }
                assertScanEquals(model.current(), null, null);
                reopen();
                assertScanEquals(model.current(), null, null);
            } finally {
                db.close();
            }
            return l0Flushes + l0FlushCount();
        }

        private void open() {
            db = Db.builder("db", opened.store()).withSettings(settings).withClock(clock).build();
            assertEquals(model.lastSeq(), db.lastSeq(), "the last sequence number after opening");
        }

        private void reopen() {
            db.close();
            l0Flushes += l0FlushCount();
            open();
        }

        private long l0FlushCount() {
            Long count = ((SimpleMetricRegistry) db.metrics()).snapshot().get(SlateDbMetricNames.Db.IMMUTABLE_MEMTABLE_FLUSHES);
            return count == null ? 0 : count;
        }

        private void step(Step step) {
            if (step instanceof Put put) {
                PutOptions options = new PutOptions(ttl(put.ttl()));
                WriteHandle handle = db.put(key(put.key()).getBytes(), put.value(), options, writeOptions(put.await()));
                recorded(handle, List.of(DbModel.Change.put(key(put.key()), put.value(),
                        expiry(put.ttl(), handle.createTs()))), put.await());
            } else if (step instanceof Delete delete) {
                WriteHandle handle = db.delete(key(delete.key()).getBytes(), writeOptions(delete.await()));
                recorded(handle, List.of(DbModel.Change.delete(key(delete.key()))), delete.await());
            } else if (step instanceof Batch batch) {
                batch(batch);
            } else if (step instanceof Get get) {
                get(get);
            } else if (step instanceof Scan scan) {
                scan(scan);
            } else if (step instanceof Flush flush) {
                db.flush(flush.type());
                assertEquals(db.lastSeq(), db.durableSeq(), "everything is durable after a flush");
            } else if (step instanceof Reopen) {
                reopen();
            } else {
                throw new IllegalArgumentException(String.valueOf(step));
            }
        }

        private void batch(Batch batch) {
            WriteBatch writes = new WriteBatch();
            Map<String, byte[]> last = new LinkedHashMap<>();
            for (BatchOp op : batch.ops()) {
                String key = key(op.key());
                if (op.value() == null) {
                    writes.delete(key.getBytes());
                } else {
                    writes.put(key.getBytes(), op.value());
                }
                last.remove(key);
                last.put(key, op.value());
            }
            WriteHandle handle = db.write(writes, writeOptions(batch.await()));
            List<DbModel.Change> changes = new ArrayList<>();
            last.forEach((key, value) -> changes.add(value == null ? DbModel.Change.delete(key)
                    : DbModel.Change.put(key, value, expiry(TtlChoice.DEFAULT, handle.createTs()))));
            recorded(handle, changes, batch.await());
        }

        private void recorded(WriteHandle handle, List<DbModel.Change> changes, boolean awaited) {
            assertEquals(model.lastSeq() + 1, handle.seq(), "sequence numbers count up by one per write");
            assertEquals(clock.millis(), handle.createTs(), "a write is stamped with the clock's time");
            if (awaited) {
                assertTrue(db.durableSeq() >= handle.seq(), "an awaited write is durable when the call returns");
            }
            model.record(handle.seq(), handle.createTs(), changes);
        }

        private void get(Get get) {
            String key = key(get.key());
            ReadOptions options = ReadOptions.builder().durabilityFilter(get.durability()).build();
            long durableBefore = db.durableSeq();
            KeyValue actual = db.getKeyValue(key.getBytes(), options);
            byte[] value = db.get(key.getBytes(), options);
            long durableAfter = db.durableSeq();
            if (get.durability() == DurabilityLevel.MEMORY) {
                assertEquals(model.current().get(key), actual, "get " + key);
                assertEquals(model.current().get(key) == null ? null : java.util.HexFormat.of().formatHex(
                        model.current().get(key).value()), value == null ? null : java.util.HexFormat.of().formatHex(value));
                return;
            }
            assertSomeSeq(durableBefore, durableAfter, seq -> model.at(seq).get(key), actual, "durable get " + key);
        }

        private void scan(Scan scan) {
            ScanOptions options = ScanOptions.builder().durabilityFilter(scan.durability()).build();
            long durableBefore = db.durableSeq();
            List<KeyValue> actual = new ArrayList<>();
            String prefix = "k" + (scan.a() / 10);
            String low = key(Math.min(scan.a(), scan.b()));
            String high = key(Math.max(scan.a(), scan.b()));
            try (DbIterator it = switch (scan.shape()) {
                case ALL -> db.scan(null, null, options);
                case RANGE -> db.scan(low.getBytes(), high.getBytes(), options);
                case FROM -> db.scan(low.getBytes(), null, options);
                case TO -> db.scan(null, high.getBytes(), options);
                case PREFIX -> db.scanPrefix(prefix.getBytes(), options);
            }) {
                it.forEachRemaining(actual::add);
            }
            long durableAfter = db.durableSeq();
            LongFunction<List<KeyValue>> expected = seq -> {
                NavigableMap<String, KeyValue> state = model.at(seq);
                NavigableMap<String, KeyValue> range = switch (scan.shape()) {
                    case ALL -> state;
                    case RANGE -> state.subMap(low, true, high, false);
                    case FROM -> state.tailMap(low, true);
                    case TO -> state.headMap(high, false);
                    case PREFIX -> state.subMap(prefix, true, prefix + "\u007f", false);
                };
                return List.copyOf(range.values());
            };
            if (scan.durability() == DurabilityLevel.MEMORY) {
                assertEquals(expected.apply(Long.MAX_VALUE), actual, String.valueOf(scan));
            } else {
                assertSomeSeq(durableBefore, durableAfter, expected, actual, String.valueOf(scan));
            }
        }

        private void assertScanEquals(NavigableMap<String, KeyValue> expected, byte[] start, byte[] end) {
            List<KeyValue> actual = new ArrayList<>();
            try (DbIterator it = db.scan(start, end)) {
                it.forEachRemaining(actual::add);
            }
            assertEquals(List.copyOf(expected.values()), actual, "the whole database");
        }

        private static <T> void assertSomeSeq(long from, long to, LongFunction<T> expected, T actual, String what) {
            for (long seq = from; seq <= to; seq++) {
                if (java.util.Objects.equals(expected.apply(seq), actual)) {
                    return;
                }
            }
            fail(what + " read " + actual + ", which is the model at no sequence number in [" + from + ", " + to
                    + "]; at " + from + ": " + expected.apply(from));
        }

        private Ttl ttl(TtlChoice choice) {
            return switch (choice) {
                case DEFAULT -> Ttl.DEFAULT;
                case NO_EXPIRY -> Ttl.NO_EXPIRY;
                case AFTER -> Ttl.expireAfter(Duration.ofMillis(TTL_AFTER_MILLIS));
                case AT -> Ttl.expireAt(Instant.ofEpochMilli(clock.millis() + TTL_AFTER_MILLIS));
            };
        }

        private OptionalLong expiry(TtlChoice choice, long createTs) {
            return switch (choice) {
                case DEFAULT -> run.defaultTtl() ? OptionalLong.of(createTs + TTL_DEFAULT_MILLIS) : OptionalLong.empty();
                case NO_EXPIRY -> OptionalLong.empty();
                case AFTER, AT -> OptionalLong.of(createTs + TTL_AFTER_MILLIS);
            };
        }

        private static WriteOptions writeOptions(boolean await) {
            return await ? WriteOptions.DEFAULT : WriteOptions.NO_AWAIT;
        }
    }

    static String key(int i) {
        return String.format("k%02d", i);
    }
}
