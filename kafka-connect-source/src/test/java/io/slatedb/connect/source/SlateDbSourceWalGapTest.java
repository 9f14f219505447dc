package io.slatedb.connect.source;

import io.slatedb.Db;
import io.slatedb.FlushType;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import io.slatedb.testing.MutableClock;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.slatedb.connect.source.SourceTestSupport.b;
import static io.slatedb.connect.source.SourceTestSupport.header;
import static io.slatedb.connect.source.SourceTestSupport.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each WAL gap policy, with the WAL a stopped task still needed deliberately collected (no retention slot,
 * a collector with a zero {@code min_age} on a clock an hour ahead), and the retention slot that prevents
 * the gap through a stop and restart and lets go once {@code slatedb.retention.max.lag} has passed.
 */
@Timeout(60)
class SlateDbSourceWalGapTest {

    private static final String PATH = "db";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private ObjectStore store;
    private Db db;
    private final MutableClock clock = new MutableClock(Instant.now().plus(Duration.ofHours(1))
            .truncatedTo(ChronoUnit.SECONDS));

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
        return new TaskHarness(props, clock);
    }

    /** Writes each in its own WAL file, then flushes them to L0 so the collector may take their WAL. */
    private void writeAndFlush(String... keyValues) {
        for (String kv : keyValues) {
            String[] parts = kv.split("=", 2);
            if (parts[1].equals("null")) {
                db.delete(b(parts[0]));
            } else {
                db.put(b(parts[0]), b(parts[1]));
            }
            db.flush(FlushType.WAL);
        }
        db.flush(FlushType.MEMTABLE);
    }

    /** A task without a slot reads a=1 and b=2 and commits; then the WAL after them is written and collected. */
    private TaskHarness consumedThenCollected(String policy) throws Exception {
        TaskHarness harness = harness(Map.of(SlateDbSourceConfig.WAL_GAP_POLICY, policy,
                SlateDbSourceConfig.RETENTION_ENABLED, "false", SlateDbSourceConfig.START_FROM, "earliest"));
        harness.start();
        writeAndFlush("a=1", "b=2");
        harness.commit(harness.pollAtLeast(2, WAIT));
        harness.stop();
        writeAndFlush("c=3", "a=null", "d=4", "c=5");
        SourceTestSupport.collectWal(store, PATH, clock);
        return harness;
    }

    @Test
    void failNamesTheMissingWalRange() throws Exception {
        try (TaskHarness harness = consumedThenCollected("fail")) {
            harness.start();
            ConnectException e = assertThrows(ConnectException.class, harness::pollOnce);
            assertTrue(e.getMessage().matches("database db: WAL files \\d+\\.\\.\\d+ were garbage-collected .*"),
                    e.getMessage());
            assertTrue(e.getMessage().contains(SlateDbSourceConfig.WAL_GAP_POLICY), e.getMessage());
        }
    }

    @Test
    void resnapshotDeliversEveryLiveKeyThenStreams() throws Exception {
        try (TaskHarness harness = consumedThenCollected("resnapshot")) {
            harness.start();
            List<SourceRecord> records = harness.pollAtLeast(3, WAIT);
            records.addAll(harness.drain());
            assertEquals(List.of("b=2@put", "c=5@put", "d=4@put"), rows(records));
            assertEquals("snapshot", header(records.get(0), ChangeRecords.HEADER_PHASE));
            db.put(b("e"), b("6"));
            assertEquals(List.of("e=6@put"), rows(harness.pollAtLeast(1, WAIT)));
        }
    }

    @Test
    void catchUpDeliversTheNewestVersionOfTheKeysChangedSinceTheOffset() throws Exception {
        try (TaskHarness harness = consumedThenCollected("catch-up")) {
            harness.start();
            List<SourceRecord> records = harness.pollAtLeast(3, WAIT);
            records.addAll(harness.drain());
            // b did not change; a was deleted in the gap: its tombstone is still in L0, so it is a tombstone here.
            assertEquals(List.of("a=null@delete", "c=5@put", "d=4@put"), rows(records));
            assertEquals("catch-up", header(records.get(0), ChangeRecords.HEADER_PHASE));
            assertEquals(null, records.get(0).value());
            db.put(b("e"), b("6"));
            assertEquals(List.of("e=6@put"), rows(harness.pollAtLeast(1, WAIT)));
        }
    }

    /** A key whose newest rows in the gap are merge operands comes as a put of its merged value. */
    @Test
    void catchUpFoldsMergeOperandsWithTheConfiguredOperator() throws Exception {
        db.close();
        db = Db.builder(PATH, store).withSettings(SourceTestSupport.WRITER)
                .withMergeOperator(new SlateDbSourceTaskTest.JoiningOperator()).build();
        try (TaskHarness harness = harness(Map.of(SlateDbSourceConfig.WAL_GAP_POLICY, "catch-up",
                SlateDbSourceConfig.RETENTION_ENABLED, "false", SlateDbSourceConfig.START_FROM, "earliest",
                SlateDbSourceConfig.MERGE_OPERATOR_CLASS, SlateDbSourceTaskTest.JoiningOperator.class.getName()))) {
            harness.start();
            writeAndFlush("a=1", "b=2");
            harness.commit(harness.pollAtLeast(2, WAIT));
            harness.stop();
            db.merge(b("a"), b("x"));
            db.flush(FlushType.WAL);
            db.merge(b("c"), b("y"));
            db.merge(b("c"), b("z"));
            db.flush(FlushType.MEMTABLE);
            SourceTestSupport.collectWal(store, PATH, clock);
            harness.start();
            List<SourceRecord> records = harness.pollAtLeast(2, WAIT);
            records.addAll(harness.drain());
            assertEquals(List.of("a=1+x@put", "c=y+z@put"), rows(records));
        }
    }

    /** A slot that expired while the task was stopped: the gap is found when the slot is held again. */
    @Test
    void catchUpAfterTheSlotExpiredStartsFromTheCommittedPosition() throws Exception {
        try (TaskHarness harness = harness(Map.of(SlateDbSourceConfig.RETENTION_MAX_LAG, "60000",
                SlateDbSourceConfig.START_FROM, "earliest", SlateDbSourceConfig.WAL_GAP_POLICY, "catch-up"))) {
            harness.start();
            writeAndFlush("a=1", "b=2");
            harness.commit(harness.pollAtLeast(2, WAIT));
            harness.commit(List.of());
            harness.stop();
            writeAndFlush("c=3", "a=null", "d=4");
            clock.advance(Duration.ofSeconds(61));
            SourceTestSupport.collectWal(store, PATH, clock);
            harness.start();
            List<SourceRecord> records = harness.pollAtLeast(3, WAIT);
            records.addAll(harness.drain());
            assertEquals(List.of("a=null@delete", "c=3@put", "d=4@put"), rows(records));
        }
    }

    /** The slot keeps the WAL through a stop and restart; once max.lag passes without a task it lets go. */
    @Test
    void theRetentionSlotKeepsTheWalUntilTheBound() throws Exception {
        try (TaskHarness harness = harness(Map.of(SlateDbSourceConfig.RETENTION_MAX_LAG, "60000",
                SlateDbSourceConfig.START_FROM, "earliest"))) {
            harness.start();
            writeAndFlush("a=1", "b=2");
            List<SourceRecord> first = harness.pollAtLeast(2, WAIT);
            harness.commit(first);
            harness.commit(List.of()); // the second commit moves the slot to what the first acknowledged
            harness.stop();

            writeAndFlush("c=3", "a=null", "d=4");
            SourceTestSupport.collectWal(store, PATH, clock);
            harness.start();
            List<SourceRecord> resumed = harness.pollAtLeast(3, WAIT);
            assertEquals(List.of("c=3@put", "a=null@delete", "d=4@put"), rows(resumed), "the slot kept the WAL");
            harness.commit(resumed);
            harness.commit(List.of());
            harness.stop();

            writeAndFlush("e=5", "f=6");
            clock.advance(Duration.ofSeconds(61));
            SourceTestSupport.collectWal(store, PATH, clock);
            try (var admin = io.slatedb.Admin.builder(PATH, store).withClock(clock).build()) {
                assertEquals(List.of(), admin.listWalRetentions(), "the slot expired and was removed");
            }
            harness.start();
            ConnectException gap = assertThrows(ConnectException.class, harness::pollOnce);
            assertTrue(gap.getMessage().contains("were garbage-collected"), gap.getMessage());
        }
    }
}
