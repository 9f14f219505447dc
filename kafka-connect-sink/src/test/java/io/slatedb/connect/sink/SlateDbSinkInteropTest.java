package io.slatedb.connect.sink;

import io.slatedb.connect.SinkOffsetKeys;
import io.slatedb.interop.RequiresNode;
import io.slatedb.interop.RustResults.ReadResult;
import io.slatedb.interop.RustResults.Row;
import io.slatedb.interop.RustSlateDb;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A database the sink wrote, opened by the Rust SlateDB (0.12.1 through its Node binding, the engine test
 * kit's harness): it reads the same records, and the sink's offsets in the reserved key space.
 */
@RequiresNode
@Timeout(180)
class SlateDbSinkInteropTest {
    private static final TopicPartition TP0 = new TopicPartition("orders", 0);

    @Test
    void theRustLibraryReadsTheDatabaseTheSinkWrote(@TempDir Path dir) throws Exception {
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            records.add(new SinkRecord("orders", 0, null, "k" + (i % 40), null, i % 9 == 8 ? null : "v" + i, i));
        }
        Map<TopicPartition, List<SinkRecord>> log = new LinkedHashMap<>(Map.of(TP0, records));
        Map<String, String> props = new HashMap<>();
        props.put("slatedb.store", "file://" + dir.toAbsolutePath());
        props.put("slatedb.path", "db");
        props.put("slatedb.settings.compression_codec", "zstd");
        props.put("topics", "orders");
        SimulatedWorker worker = new SimulatedWorker(new SlateDbSinkTask(), props, log, new HashMap<>(), Set.of(TP0));
        worker.drain(50);
        worker.stop();

        ReadResult rust = RustSlateDb.get().read(dir, "db");

        Map<String, String> rustData = new TreeMap<>();
        Long rustOffset = null;
        for (Row row : rust.entries()) {
            if (SinkOffsetKeys.isReserved(row.key())) {
                assertEquals(SinkOffsetKeys.parseOffsetKey(row.key()).orElseThrow(),
                        new SinkOffsetKeys.TopicPartitionOffsetKey("orders", 0));
                rustOffset = SinkOffsetKeys.decodeOffset(row.value());
            } else {
                rustData.put(row.keyUtf8(), new String(row.value(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(300L, rustOffset);
        assertEquals(SinkDatabaseModel.expected(log, Map.of(TP0, 300L)), rustData);
        try (ObjectStore store = ObjectStores.resolve("file://" + dir.toAbsolutePath())) {
            assertEquals(SinkDatabaseModel.read(store, "db").data(), rustData);
        }
    }
}
