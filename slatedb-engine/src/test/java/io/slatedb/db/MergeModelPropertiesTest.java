package io.slatedb.db;

import io.slatedb.Compactor;
import io.slatedb.Db;
import io.slatedb.DbIterator;
import io.slatedb.DbReader;
import io.slatedb.ErrorKind;
import io.slatedb.FlushType;
import io.slatedb.KeyValue;
import io.slatedb.MergeOperator;
import io.slatedb.MergeOptions;
import io.slatedb.PutOptions;
import io.slatedb.Settings;
import io.slatedb.SlateDbException;
import io.slatedb.Ttl;
import io.slatedb.WriteBatch;
import io.slatedb.WriteHandle;
import io.slatedb.CompactorOptions;
import io.slatedb.testing.MutableClock;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The writer with a merge operator (byte concatenation) against a model that keeps every version of
 * every key and folds a key's newest operands onto the value or tombstone below them: random puts,
 * deletes and merges (with every kind of time to live, none of which expires during a run), batches
 * mixing them (including merges on one key, and the incompatible expiry times SlateDB refuses), gets,
 * scans, WAL and memtable flushes, compactions by a standalone compactor with the same operator, and
 * close-and-reopen. Reads are checked exactly: value, sequence number, creation and expiry time (a
 * fold takes the latest creation time and the earliest expiry time of its inputs). At the end a
 * {@link DbReader} with the operator reads the same.
 */
class MergeModelPropertiesTest {
    private static final long TTL_DEFAULT_MILLIS = 3_600_000;
    private static final long TTL_AFTER_MILLIS = 7_200_000;
    private static final int KEYS = 12;

    /** Concatenation: associative, and its batch form is checked to agree with the pairwise one. */
    static final MergeOperator CONCAT = new MergeOperator() {
        @Override
        public byte[] merge(byte[] key, byte[] existingValue, byte[] operand) {
            return concat(existingValue, List.of(operand));
        }

        @Override
        public byte[] mergeBatch(byte[] key, byte[] existingValue, List<byte[]> operands) {
            return concat(existingValue, operands);
        }
    };

    enum TtlChoice { DEFAULT, NO_EXPIRY, AFTER }

    enum Kind { PUT, DELETE, MERGE }

    sealed interface Step {
    }

    record Write(Kind kind, int key, byte[] value, TtlChoice ttl) implements Step {
        @Override
        public String toString() {
            return kind + "(" + MergeModelPropertiesTest.key(key) + (value == null ? "" : ", " + value.length + "B") + ", " + ttl + ")";
        }
    }

    record Batch(List<Write> ops) implements Step {
    }

    record Get(int key) implements Step {
    }

    record Scan() implements Step {
    }

    record Flush(FlushType type) implements Step {
    }

    record Compact() implements Step {
    }

    record Reopen() implements Step {
    }

    record Run(List<Step> steps, boolean defaultTtl) {
    }

    @Property(tries = 25)
    void inMemory(@ForAll("runs") Run run) {
        check(TestStore.MEMORY, run);
    }

    @Property(tries = 5)
    void onLocalDirectory(@ForAll("runs") Run run) {
        check(TestStore.LOCAL, run);
    }

    @Provide
    Arbitrary<Run> runs() {
        Arbitrary<Integer> key = Arbitraries.integers().between(0, KEYS - 1);
        Arbitrary<byte[]> value = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(6);
        Arbitrary<TtlChoice> ttl = Arbitraries.of(TtlChoice.class);
        Arbitrary<Write> write = Combinators.combine(Arbitraries.frequency(Tuple.of(3, Kind.PUT),
                Tuple.of(1, Kind.DELETE), Tuple.of(6, Kind.MERGE)), key, value, ttl)
                .as((kind, k, v, t) -> new Write(kind, k, kind == Kind.DELETE ? null : v, t));
        // Batches use the default time to live, so a delete and merges on one key expire differently
        // exactly when the database has a default: then SlateDB refuses the batch.
        Arbitrary<Step> batch = write.map(w -> new Write(w.kind(), w.key() % 4, w.value(), TtlChoice.DEFAULT))
                .list().ofMinSize(1).ofMaxSize(6).map(Batch::new);
        Arbitrary<Step> steps = Arbitraries.frequencyOf(
                Tuple.of(12, write.map(w -> (Step) w)),
                Tuple.of(3, batch),
                Tuple.of(4, key.map(Get::new)),
                Tuple.of(2, Arbitraries.just(new Scan())),
                Tuple.of(2, Arbitraries.of(FlushType.class).map(Flush::new)),
                Tuple.of(2, Arbitraries.just(new Compact())),
                Tuple.of(1, Arbitraries.just(new Reopen())));
        return Combinators.combine(steps.list().ofMinSize(5).ofMaxSize(70), Arbitraries.of(true, false)).as(Run::new);
    }

    private void check(TestStore kind, Run run) {
        Driver driver = assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            try (TestStore.Opened opened = kind.open()) {
                Driver d = new Driver(opened, run);
                d.run();
                return d;
            }
        }, () -> "steps: " + run.steps());
        int compactions = driver.compactions;
        Statistics.label("compactions").collect(compactions == 0 ? "none" : compactions < 3 ? "1-2" : "3+");
        Statistics.label("refused batches").collect(driver.refusedBatches > 0);
    }

    // ---------------------------------------------------------------- the model

    /** One version of a key: a value, a tombstone ({@code value} null) or an operand. */
    record Version(long seq, long createTs, Kind kind, byte[] value, OptionalLong expireTs) {
    }

    /** Every version of every key, oldest first; reads fold as SlateDB's do. */
    static final class Model {
        private final Map<String, List<Version>> versions = new HashMap<>();
        private long lastSeq;

        void record(String key, Version version) {
            versions.computeIfAbsent(key, k -> new ArrayList<>()).add(version);
        }

        NavigableMap<String, KeyValue> current() {
            TreeMap<String, KeyValue> state = new TreeMap<>();
            versions.forEach((key, list) -> {
                KeyValue visible = visible(key, list);
                if (visible != null) {
                    state.put(key, visible);
                }
            });
            return state;
        }

        KeyValue get(String key) {
            List<Version> list = versions.get(key);
            return list == null ? null : visible(key, list);
        }

        private static KeyValue visible(String key, List<Version> list) {
            List<Version> operands = new ArrayList<>(); // newest first
            Version base = null;
            for (int i = list.size() - 1; i >= 0; i--) {
                Version v = list.get(i);
                if (v.kind() != Kind.MERGE) {
                    base = v;
                    break;
                }
                operands.add(v);
            }
            if (operands.isEmpty()) {
                return base == null || base.kind() == Kind.DELETE ? null
                        : new KeyValue(DbModel.bytes(key), base.value(), base.seq(), base.createTs(), base.expireTs());
            }
            List<byte[]> oldestFirst = new ArrayList<>();
            long createTs = Long.MIN_VALUE;
            OptionalLong expireTs = OptionalLong.empty();
            List<Version> inputs = new ArrayList<>(operands);
            if (base != null) {
                inputs.add(base);
            }
            for (Version v : inputs) {
                createTs = Math.max(createTs, v.createTs());
                if (v.expireTs().isPresent() && (expireTs.isEmpty() || v.expireTs().getAsLong() < expireTs.getAsLong())) {
                    expireTs = v.expireTs();
                }
            }
            for (int i = operands.size() - 1; i >= 0; i--) {
                oldestFirst.add(operands.get(i).value());
            }
            byte[] existing = base != null && base.kind() == Kind.PUT ? base.value() : null;
            return new KeyValue(DbModel.bytes(key), concat(existing, oldestFirst), operands.get(0).seq(), createTs,
                    expireTs);
        }
    }

    // ---------------------------------------------------------------- the driver

    private static final class Driver {
        private final TestStore.Opened opened;
        private final Run run;
        private final Settings settings;
        private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        private final Model model = new Model();
        private int compactions;
        private int refusedBatches;
        private Db db;

        Driver(TestStore.Opened opened, Run run) {
            this.opened = opened;
            this.run = run;
            this.settings = Settings.builder()
                    .flushInterval(Duration.ofMillis(5))
                    .manifestPollInterval(Duration.ofMillis(50))
                    .l0SstSizeBytes(256)
                    .l0MaxSsts(1000)
                    .l0MaxSstsPerKey(1000)
                    .defaultTtlMillis(run.defaultTtl() ? TTL_DEFAULT_MILLIS : null)
                    .sstBlockSize(1024)
                    .minFilterKeys(2)
                    .compactorOptions(null)
                    .garbageCollectorOptions(null)
                    .build();
        }

        void run() {
            open();
            try {
                for (Step step : run.steps()) {
                    clock.advance(Duration.ofMillis(1));
                    step(step);
                }
                assertScan("at the end");
                reopen();
                assertScan("after reopening");
                try (DbReader reader = DbReader.builder("db", opened.store()).withMergeOperator(CONCAT).build()) {
                    List<KeyValue> actual = new ArrayList<>();
                    try (DbIterator it = reader.scan(null, null)) {
                        it.forEachRemaining(actual::add);
                    }
                    assertEquals(List.copyOf(model.current().values()), actual, "a DbReader with the operator");
                }
            } finally {
                db.close();
            }
        }

        private void open() {
            db = Db.builder("db", opened.store()).withSettings(settings).withClock(clock)
                    .withMergeOperator(CONCAT).build();
            assertEquals(model.lastSeq, db.lastSeq(), "the last sequence number after opening");
        }

        private void reopen() {
            db.close();
            open();
        }

        private void step(Step step) {
            if (step instanceof Write write) {
                write(write);
            } else if (step instanceof Batch batch) {
                batch(batch);
            } else if (step instanceof Get get) {
                String key = key(get.key());
                assertEquals(model.get(key), db.getKeyValue(DbModel.bytes(key)), "get " + key);
            } else if (step instanceof Scan) {
                assertScan("scan");
            } else if (step instanceof Flush flush) {
                db.flush(flush.type());
            } else if (step instanceof Compact) {
                // Everything to L0 first, so the compaction sees the operands.
                db.flush(FlushType.MEMTABLE);
                CompactorOptions full = CompactorOptions.builder().minCompactionSources(2).maxCompactionSources(64)
                        .includeSizeThreshold(1e9).build();
                try (Compactor compactor = Compactor.builder("db", opened.store()).withOptions(full)
                        .withSettings(settings).withClock(clock).withMergeOperator(CONCAT).build()) {
                    compactor.runUntilIdle();
                    compactions += (int) compactor.completedCompactions();
                }
                assertScan("after a compaction");
            } else if (step instanceof Reopen) {
                reopen();
            } else {
                throw new IllegalArgumentException(String.valueOf(step));
            }
        }

        private void write(Write write) {
            byte[] key = DbModel.bytes(key(write.key()));
            WriteHandle handle = switch (write.kind()) {
                case PUT -> db.put(key, write.value(), new PutOptions(ttl(write.ttl())));
                case DELETE -> db.delete(key);
                case MERGE -> db.merge(key, write.value(), new MergeOptions(ttl(write.ttl())));
            };
            recordSeq(handle);
            model.record(key(write.key()), version(write, handle));
        }

        private void batch(Batch batch) {
            WriteBatch writes = new WriteBatch();
            Map<String, List<Write>> byKey = new LinkedHashMap<>();
            for (Write op : batch.ops()) {
                byte[] key = DbModel.bytes(key(op.key()));
                switch (op.kind()) {
                    case PUT -> writes.put(key, op.value());
                    case DELETE -> writes.delete(key);
                    case MERGE -> writes.merge(key, op.value());
                }
                List<Write> ops = byKey.computeIfAbsent(key(op.key()), k -> new ArrayList<>());
                if (op.kind() != Kind.MERGE) {
                    ops.clear();
                }
                ops.add(op);
            }
            boolean incompatible = byKey.values().stream().anyMatch(ops -> ops.size() > 1
                    && ops.get(0).kind() == Kind.DELETE && run.defaultTtl());
            if (incompatible) {
                SlateDbException e = assertThrows(SlateDbException.class, () -> db.write(writes));
                assertEquals(ErrorKind.INVALID, e.kind(), e.getMessage());
                refusedBatches++;
                return;
            }
            WriteHandle handle = db.write(writes);
            recordSeq(handle);
            byKey.forEach((key, ops) -> {
                // One row per key: the merges folded onto the put or delete before them.
                Model single = new Model();
                ops.forEach(op -> single.record(key, version(op, handle)));
                List<Version> versions = single.versions.get(key);
                Version last = versions.get(versions.size() - 1);
                if (versions.size() == 1) {
                    model.record(key, last);
                    return;
                }
                KeyValue folded = single.get(key);
                boolean hasBase = versions.get(0).kind() != Kind.MERGE;
                model.record(key, new Version(handle.seq(), handle.createTs(), hasBase ? Kind.PUT : Kind.MERGE,
                        folded.value(), folded.expireTs()));
            });
        }

        private void recordSeq(WriteHandle handle) {
            assertEquals(model.lastSeq + 1, handle.seq(), "sequence numbers count up by one per write");
            model.lastSeq = handle.seq();
        }

        private Version version(Write write, WriteHandle handle) {
            OptionalLong expireTs = write.kind() == Kind.DELETE ? OptionalLong.empty()
                    : expiry(write.ttl(), handle.createTs());
            return new Version(handle.seq(), handle.createTs(), write.kind(), write.value(), expireTs);
        }

        private void assertScan(String what) {
            List<KeyValue> actual = new ArrayList<>();
            try (DbIterator it = db.scan(null, null)) {
                it.forEachRemaining(actual::add);
            }
            assertEquals(List.copyOf(model.current().values()), actual, what);
        }

        private Ttl ttl(TtlChoice choice) {
            return switch (choice) {
                case DEFAULT -> Ttl.DEFAULT;
                case NO_EXPIRY -> Ttl.NO_EXPIRY;
                case AFTER -> Ttl.expireAfter(Duration.ofMillis(TTL_AFTER_MILLIS));
            };
        }

        private OptionalLong expiry(TtlChoice choice, long createTs) {
            return switch (choice) {
                case DEFAULT -> run.defaultTtl() ? OptionalLong.of(createTs + TTL_DEFAULT_MILLIS) : OptionalLong.empty();
                case NO_EXPIRY -> OptionalLong.empty();
                case AFTER -> OptionalLong.of(createTs + TTL_AFTER_MILLIS);
            };
        }
    }

    static byte[] concat(byte[] existing, List<byte[]> operands) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (existing != null) {
            out.writeBytes(existing);
        }
        operands.forEach(out::writeBytes);
        return out.toByteArray();
    }

    static String key(int i) {
        return String.format("k%02d", i);
    }
}
