package io.slatedb.connect.source;

import io.slatedb.Db;
import io.slatedb.FlushType;
import io.slatedb.MergeOperator;
import io.slatedb.WriteBatch;
import io.slatedb.connect.SinkOffsetKeys;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.slatedb.connect.source.SourceTestSupport.b;
import static io.slatedb.connect.source.SourceTestSupport.header;
import static io.slatedb.connect.source.SourceTestSupport.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The task against a real database in a local directory, driven as a worker drives it (see
 * {@link TaskHarness}): snapshot then stream, records and headers, batches kept whole, restarts from
 * committed offsets mid-snapshot and mid-stream, and the seam between snapshot and stream.
 */
@Timeout(60)
class SlateDbSourceTaskTest {

    private static final String PATH = "orders/eu";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private ObjectStore store;
    private Db db;

    @BeforeEach
    void openDb() {
        store = ObjectStores.resolve(SourceTestSupport.storeUrl(dir));
        db = SourceTestSupport.open(store, PATH);
    }

    @AfterEach
    void closeDb() {
        db.close();
        store.close();
    }

    private TaskHarness harness(Map<String, String> extra) {
        Map<String, String> props = SourceTestSupport.props(dir, PATH);
        props.putAll(extra);
        return new TaskHarness(props, Clock.systemUTC());
    }

    /** A snapshot holds the newest version of each live key, then streaming delivers every version in order. */
    @Test
    void snapshotsTheLiveKeysThenStreamsEveryChangeInOrder() throws Exception {
        db.put(b("a"), b("a1"));
        db.put(b("b"), b("b1"));
        db.put(b("a"), b("a2"));
        db.put(b("c"), b("c1"));
        db.delete(b("c"));
        db.flush(FlushType.MEMTABLE);
        db.put(b("d"), b("d1")); // in the WAL only
        db.write(new WriteBatch().put(b("e"), b("e1")).put(SinkOffsetKeys.offsetKey("in", 0),
                SinkOffsetKeys.encodeOffset(7)));

        try (TaskHarness harness = harness(Map.of())) {
            harness.start();
            List<SourceRecord> snapshot = harness.pollAtLeast(4, WAIT);
            // The checkpoint holds the flushed state; the writes only in the WAL after it follow from the WAL.
            assertEquals(List.of("a=a2@put", "b=b1@put", "d=d1@put", "e=e1@put"), rows(snapshot));
            assertEquals("snapshot", header(snapshot.get(0), ChangeRecords.HEADER_PHASE));
            assertEquals("snapshot", header(snapshot.get(1), ChangeRecords.HEADER_PHASE));
            for (SourceRecord record : snapshot) {
                assertEquals("cdc.orders_eu", record.topic());
                assertEquals(Map.of("db", SourceTestSupport.storeUrl(dir) + "|" + PATH), record.sourcePartition());
                assertNotNull(record.timestamp());
            }
            assertEquals(List.of(), harness.drain(), "nothing after the snapshot until new writes");

            db.put(b("a"), b("a3"));
            db.put(b("a"), b("a4"));
            db.delete(b("b"));
            db.write(new WriteBatch().put(b("x"), b("x1")).put(b("y"), b("y1")).delete(b("d"))
                    .put(SinkOffsetKeys.offsetKey("in", 0), SinkOffsetKeys.encodeOffset(9)));
            List<SourceRecord> stream = harness.pollAtLeast(6, WAIT);
            // A write batch's rows come together, as the WAL holds them (by key), its reserved key left out.
            assertEquals(List.of("a=a3@put", "a=a4@put", "b=null@delete", "d=null@delete", "x=x1@put", "y=y1@put"),
                    rows(stream));
            SourceRecord delete = stream.get(2);
            assertNull(delete.value(), "a delete is a tombstone");
            long batchSeq = (Long) header(stream.get(3), ChangeRecords.HEADER_SEQ);
            assertEquals(batchSeq, header(stream.get(5), ChangeRecords.HEADER_SEQ), "one batch, one sequence number");
            assertEquals(stream.get(5).sourceOffset(), Map.of("phase", "stream", "wal_id",
                    stream.get(5).sourceOffset().get("wal_id"), "seq", batchSeq), "the batch's last record completes it");
            assertEquals((Long) header(stream.get(2), ChangeRecords.HEADER_SEQ), stream.get(3).sourceOffset().get("seq"),
                    "a record inside a batch carries the position before the batch");
            assertTrue((Long) header(stream.get(1), ChangeRecords.HEADER_SEQ)
                    > (Long) header(stream.get(0), ChangeRecords.HEADER_SEQ));
            assertEquals(stream.get(0).timestamp(), header(stream.get(0), ChangeRecords.HEADER_CREATE_TS));
            assertNull(header(stream.get(0), ChangeRecords.HEADER_PHASE), "WAL records carry no phase");
            assertEquals(10, harness.task().capture(PATH).metrics.records());
        }
    }

    /** A poll returns whole write batches even past the record limit; the limit holds between batches. */
    @Test
    void aPollNeverSplitsAWriteBatch() throws Exception {
        try (TaskHarness harness = harness(Map.of(SlateDbSourceConfig.MAX_RECORDS_PER_POLL, "2"))) {
            harness.start();
            assertEquals(List.of(), harness.drain());
            WriteBatch batch = new WriteBatch();
            for (int i = 0; i < 5; i++) {
                batch.put(b("k" + i), b("v" + i));
            }
            db.write(batch);
            List<SourceRecord> first = harness.pollAtLeast(1, WAIT);
            assertEquals(5, first.size(), "the whole batch in one poll: " + rows(first));
        }
    }

    /** A task restarted mid-snapshot continues after the last key committed, at the same checkpoint. */
    @Test
    void aRestartMidSnapshotContinuesAfterTheLastKeyCommitted() throws Exception {
        for (int i = 0; i < 10; i++) {
            db.put(b("k" + i), b("v" + i));
        }
        db.flush(FlushType.MEMTABLE);
        try (TaskHarness harness = harness(Map.of(SlateDbSourceConfig.MAX_RECORDS_PER_POLL, "3"))) {
            harness.start();
            List<SourceRecord> first = harness.pollAtLeast(3, WAIT);
            harness.commit(first);
            List<SourceRecord> uncommitted = harness.pollAtLeast(3, WAIT); // sent but never committed
            assertEquals(List.of("k3=v3@put", "k4=v4@put", "k5=v5@put"), rows(uncommitted));
            assertEquals("snapshot", header(uncommitted.get(2), ChangeRecords.HEADER_PHASE));
            harness.stop();
            db.put(b("k0"), b("changed after the snapshot"));

            harness.start();
            List<SourceRecord> rest = new ArrayList<>();
            while (rest.size() < 8) {
                rest.addAll(harness.pollAtLeast(1, WAIT));
            }
            assertEquals(List.of("k3=v3@put", "k4=v4@put", "k5=v5@put", "k6=v6@put", "k7=v7@put", "k8=v8@put",
                    "k9=v9@put", "k0=changed after the snapshot@put"), rows(rest));
            assertNull(header(rest.get(7), ChangeRecords.HEADER_PHASE));
            assertEquals(List.of(), harness.drain());
        }
    }

    /** Restarts mid-stream deliver nothing twice when every poll was committed, and nothing is lost otherwise. */
    @Test
    void aRestartMidStreamResumesAfterTheCommittedRecord() throws Exception {
        try (TaskHarness harness = harness(Map.of())) {
            harness.start();
            assertEquals(List.of(), harness.drain());
            db.put(b("a"), b("1"));
            db.put(b("b"), b("2"));
            harness.commit(harness.pollAtLeast(2, WAIT));
            harness.stop();

            db.put(b("c"), b("3"));
            harness.start();
            assertEquals(List.of("c=3@put"), rows(harness.pollAtLeast(1, WAIT)), "nothing twice");

            // At least once: with only part of a batch committed, the whole batch comes again.
            db.write(new WriteBatch().put(b("x"), b("1")).put(b("y"), b("2")).put(b("z"), b("3")));
            List<SourceRecord> batch = harness.pollAtLeast(3, WAIT);
            harness.commit(batch.subList(0, 2));
            harness.stop();
            harness.start();
            assertEquals(List.of("x=1@put", "y=2@put", "z=3@put"), rows(harness.pollAtLeast(3, WAIT)));
        }
    }

    /** Writes made while a snapshot runs come once, from the WAL after it; the snapshot shows the state at its checkpoint. */
    @Test
    void writesDuringASnapshotAreStreamedOnceAfterIt() throws Exception {
        for (int i = 0; i < 6; i++) {
            db.put(b("k" + i), b("v" + i));
        }
        db.flush(FlushType.MEMTABLE);
        try (TaskHarness harness = harness(Map.of(SlateDbSourceConfig.MAX_RECORDS_PER_POLL, "2"))) {
            harness.start();
            List<SourceRecord> all = new ArrayList<>(harness.pollAtLeast(2, WAIT));
            db.put(b("k5"), b("v5-new"));
            db.put(b("k9"), b("v9"));
            db.delete(b("k0"));
            all.addAll(harness.pollAtLeast(7, WAIT));
            all.addAll(harness.drain());
            assertEquals(List.of("k0=v0@put", "k1=v1@put", "k2=v2@put", "k3=v3@put", "k4=v4@put", "k5=v5@put",
                    "k5=v5-new@put", "k9=v9@put", "k0=null@delete"), rows(all));
        }
    }

    /** With start.from=latest only later writes come; with earliest, every change the WAL still holds. */
    @Test
    void startsAtTheLatestOrTheEarliestPosition() throws Exception {
        db.put(b("old"), b("1"));
        try (TaskHarness latest = harness(Map.of(SlateDbSourceConfig.START_FROM, "latest"))) {
            latest.start();
            assertEquals(List.of(), latest.drain());
            db.put(b("new"), b("2"));
            assertEquals(List.of("new=2@put"), rows(latest.pollAtLeast(1, WAIT)));
        }
        try (TaskHarness earliest = new TaskHarness(withName(Map.of(SlateDbSourceConfig.START_FROM, "earliest"),
                "earliest-source"), Clock.systemUTC())) {
            earliest.start();
            assertEquals(List.of("old=1@put", "new=2@put"), rows(earliest.pollAtLeast(2, WAIT)));
        }
    }

    /** A database that does not exist yet is captured once it appears. */
    @Test
    void waitsForADatabaseThatDoesNotExistYet() throws Exception {
        Map<String, String> props = SourceTestSupport.props(dir, "later");
        try (TaskHarness harness = new TaskHarness(props, Clock.systemUTC())) {
            harness.start();
            assertEquals(List.of(), harness.pollOnce());
            try (Db later = SourceTestSupport.open(store, "later")) {
                later.put(b("k"), b("v"));
                assertEquals(List.of("k=v@put"), rows(harness.pollAtLeast(1, WAIT)));
            }
        }
    }

    /** Merge operands are streamed raw, marked as merges; the consumer applies the operator. */
    @Test
    void mergeOperandsAreStreamedRaw() throws Exception {
        db.close();
        db = io.slatedb.Db.builder(PATH, store).withSettings(SourceTestSupport.WRITER)
                .withMergeOperator((key, existing, operand) -> existing == null ? operand
                        : (SourceTestSupport.s(existing) + "+" + SourceTestSupport.s(operand)).getBytes())
                .build();
        try (TaskHarness harness = harness(Map.of(SlateDbSourceConfig.START_FROM, "latest"))) {
            harness.start();
            assertEquals(List.of(), harness.drain());
            db.put(b("m"), b("1"));
            db.merge(b("m"), b("2"));
            db.merge(b("m"), b("3"));
            assertEquals(List.of("m=1@put", "m=2@merge", "m=3@merge"), rows(harness.pollAtLeast(3, WAIT)));
        }
    }

    /**
     * The lag in sequence numbers: the newest write's sequence number minus the last delivered while the task
     * is behind, 0 once it has caught up.
     */
    @Test
    void theLagInSequenceNumbersIsTheNewestWriteMinusTheLastDelivered() throws Exception {
        for (int i = 0; i < 20; i++) {
            db.put(b("k" + i), b("v" + i));
        }
        try (TaskHarness harness = harness(Map.of(SlateDbSourceConfig.START_FROM, "earliest",
                SlateDbSourceConfig.MAX_RECORDS_PER_POLL, "1"))) {
            harness.start();
            List<SourceRecord> first = harness.pollAtLeast(1, WAIT);
            CaptureMetrics metrics = harness.task().capture(PATH).metrics;
            long lag = metrics.lagSeq();
            List<SourceRecord> rest = harness.drain();
            assertEquals(20, first.size() + rest.size());
            long newest = (Long) header(rest.get(rest.size() - 1), ChangeRecords.HEADER_SEQ);
            long delivered = (Long) header(first.get(first.size() - 1), ChangeRecords.HEADER_SEQ);
            assertTrue(newest > delivered);
            assertEquals(newest - delivered, lag, "behind by the writes not yet delivered");
            assertEquals(0, metrics.lagSeq(), "caught up");
        }
    }

    /** Joins operands with '+': the writer's and the snapshot's operator. */
    public static final class JoiningOperator implements MergeOperator {
        @Override
        public byte[] merge(byte[] key, byte[] existingValue, byte[] operand) {
            return existingValue == null ? operand
                    : (SourceTestSupport.s(existingValue) + "+" + SourceTestSupport.s(operand)).getBytes();
        }
    }

    /**
     * A snapshot of keys whose newest rows are merge operands folds them with the configured operator; without
     * one the task fails with an error that names the option.
     */
    @Test
    void snapshotsFoldMergeOperandsWithTheConfiguredOperator() throws Exception {
        db.close();
        db = Db.builder(PATH, store).withSettings(SourceTestSupport.WRITER).withMergeOperator(new JoiningOperator())
                .build();
        db.put(b("m"), b("1"));
        db.merge(b("m"), b("2"));
        db.merge(b("only-operands"), b("x"));
        db.merge(b("only-operands"), b("y"));
        db.flush(FlushType.MEMTABLE);
        db.merge(b("m"), b("3")); // in the WAL only: streamed after the snapshot, raw

        try (TaskHarness harness = harness(Map.of(SlateDbSourceConfig.MERGE_OPERATOR_CLASS,
                JoiningOperator.class.getName()))) {
            harness.start();
            assertEquals(List.of("m=1+2@put", "only-operands=x+y@put", "m=3@merge"), rows(harness.pollAtLeast(3, WAIT)));
        }

        try (TaskHarness harness = harness(Map.of())) {
            harness.start();
            ConnectException failure = assertThrows(ConnectException.class, () -> harness.pollAtLeast(1, WAIT));
            assertTrue(failure.getMessage().contains(SlateDbSourceConfig.MERGE_OPERATOR_CLASS), failure.getMessage());
        }
    }

    /** A merge operator class that is not one, or cannot be created without arguments, fails validation. */
    @Test
    void aMergeOperatorClassIsValidated() {
        Map<String, String> props = SourceTestSupport.props(dir, PATH);
        props.put(SlateDbSourceConfig.MERGE_OPERATOR_CLASS, String.class.getName());
        ConfigException notAnOperator = assertThrows(ConfigException.class, () -> new SlateDbSourceConfig(props));
        assertTrue(notAnOperator.getMessage().contains("MergeOperator"), notAnOperator.getMessage());
        props.put(SlateDbSourceConfig.MERGE_OPERATOR_CLASS, NeedsArguments.class.getName());
        ConfigException noConstructor = assertThrows(ConfigException.class, () -> new SlateDbSourceConfig(props));
        assertTrue(noConstructor.getMessage().contains("no-arg constructor"), noConstructor.getMessage());
    }

    /** A merge operator without a no-arg constructor. */
    public static final class NeedsArguments implements MergeOperator {
        public NeedsArguments(String unused) {
        }

        @Override
        public byte[] merge(byte[] key, byte[] existingValue, byte[] operand) {
            return operand;
        }
    }

    /** One task captures several databases, each its own source partition and topic. */
    @Test
    void oneTaskCapturesSeveralDatabases() throws Exception {
        Map<String, String> props = SourceTestSupport.props(dir, PATH + ",second");
        try (Db second = SourceTestSupport.open(store, "second"); TaskHarness harness = new TaskHarness(props,
                Clock.systemUTC())) {
            db.put(b("a"), b("1"));
            second.put(b("b"), b("2"));
            harness.start();
            List<SourceRecord> records = harness.pollAtLeast(2, WAIT);
            records.addAll(harness.drain());
            Map<String, List<String>> byTopic = new java.util.TreeMap<>();
            for (SourceRecord record : records) {
                byTopic.computeIfAbsent(record.topic(), t -> new ArrayList<>()).add(SourceTestSupport.row(record));
            }
            assertEquals(Map.of("cdc.orders_eu", List.of("a=1@put"), "cdc.second", List.of("b=2@put")), byTopic);
            assertEquals(2, records.stream().map(SourceRecord::sourcePartition).distinct().count());
        }
    }

    private Map<String, String> withName(Map<String, String> extra, String name) {
        Map<String, String> props = SourceTestSupport.props(dir, PATH);
        props.putAll(extra);
        props.put("name", name);
        return props;
    }
}
