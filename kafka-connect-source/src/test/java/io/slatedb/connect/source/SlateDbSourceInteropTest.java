package io.slatedb.connect.source;

import io.slatedb.interop.RequiresNode;
import io.slatedb.interop.RustSlateDb;
import io.slatedb.interop.RustWriteJob;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.slatedb.connect.source.SourceTestSupport.header;
import static io.slatedb.connect.source.SourceTestSupport.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A database written by the Rust SlateDB (through {@code @slatedb/uniffi} under Node; skipped where Node
 * is absent) is captured correctly: its snapshot, and every change its WAL holds, in order, with write
 * batches kept together.
 */
@RequiresNode
@Timeout(180)
class SlateDbSourceInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Every change the Rust job makes, in order. */
    private static final List<String> CHANGES = List.of("a=1@put", "b=2@put", "a=3@put", "c=4@put", "b=null@delete",
            "x=10@put", "y=11@put");

    @TempDir
    Path dir;

    /** The live keys after {@code changes}, as a snapshot emits them (by key). */
    private static List<String> stateOf(List<String> changes) {
        Map<String, String> state = new TreeMap<>();
        for (String change : changes) {
            String key = change.substring(0, change.indexOf('='));
            if (change.endsWith("@delete")) {
                state.remove(key);
            } else {
                state.put(key, change.substring(key.length() + 1, change.indexOf('@')));
            }
        }
        return state.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue() + "@put").toList();
    }

    @Test
    void aDatabaseWrittenByTheRustLibraryIsSnapshottedAndStreamed() throws Exception {
        RustSlateDb.get().write(RustWriteJob.create(dir, "rust")
                .put("a", "1").put("b", "2").put("a", "3").flushWal().flushMemtable()
                .put("c", "4").delete("b").batch(batch -> batch.put("x", "10").put("y", "11")).flushWal());

        Map<String, String> snapshotProps = SourceTestSupport.props(dir, "rust");
        try (TaskHarness harness = new TaskHarness(snapshotProps, Clock.systemUTC())) {
            harness.start();
            List<SourceRecord> records = new ArrayList<>(harness.pollAtLeast(2, WAIT));
            records.addAll(harness.drain());
            // The checkpoint holds what the Rust writer flushed to L0; its WAL after that follows, so the
            // streamed records are exactly the last changes made, and applying everything gives the state.
            List<String> snapshot = rows(records.stream()
                    .filter(r -> "snapshot".equals(header(r, ChangeRecords.HEADER_PHASE))).toList());
            List<String> stream = rows(records.stream()
                    .filter(r -> header(r, ChangeRecords.HEADER_PHASE) == null).toList());
            assertEquals(records.size(), snapshot.size() + stream.size());
            List<String> before = CHANGES.subList(0, CHANGES.size() - stream.size());
            assertEquals(stateOf(before), snapshot, "the snapshot is the state after the changes before the stream");
            assertEquals(CHANGES.subList(CHANGES.size() - stream.size(), CHANGES.size()), stream);
            Map<String, String> state = new TreeMap<>();
            for (SourceRecord record : records) {
                if (record.value() == null) {
                    state.remove(SourceTestSupport.s(record.key()));
                } else {
                    state.put(SourceTestSupport.s(record.key()), SourceTestSupport.s(record.value()));
                }
            }
            assertEquals(Map.of("a", "3", "c", "4", "x", "10", "y", "11"), state);
        }

        Map<String, String> earliestProps = SourceTestSupport.props(dir, "rust");
        earliestProps.put("name", "earliest");
        earliestProps.put(SlateDbSourceConfig.START_FROM, "earliest");
        try (TaskHarness harness = new TaskHarness(earliestProps, Clock.systemUTC())) {
            harness.start();
            List<SourceRecord> records = new ArrayList<>(harness.pollAtLeast(7, WAIT));
            records.addAll(harness.drain());
            assertEquals(CHANGES, rows(records));
            assertEquals(header(records.get(5), ChangeRecords.HEADER_SEQ), header(records.get(6), ChangeRecords.HEADER_SEQ),
                    "the Rust write batch keeps one sequence number");
        }
    }
}
