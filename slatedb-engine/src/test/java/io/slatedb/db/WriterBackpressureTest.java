package io.slatedb.db;

import io.slatedb.metrics.SlateDbMetricNames;
import io.slatedb.Db;
import io.slatedb.FlushType;
import io.slatedb.PutOptions;
import io.slatedb.Settings;
import io.slatedb.WriteOptions;
import io.slatedb.store.InMemoryObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.slatedb.db.ReadSemanticsTest.bytes;
import static io.slatedb.db.ReadSemanticsTest.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes held back by {@code max_unflushed_bytes} go ahead once memory is freed, and it is the wait
 * itself that frees it: a write that must wait starts a WAL flush, so with timed flushes off (or a
 * long {@code flush_interval}) writers do not stall until the next tick, or for ever.
 */
@Timeout(60)
class WriterBackpressureTest {

    @Test
    void aWaitingWriteStartsTheWalFlushThatAdmitsIt() {
        Settings settings = Settings.builder()
                .flushInterval(null)
                .l0SstSizeBytes(1024)
                .maxUnflushedBytes(1500)
                .l0MaxSsts(1000)
                .l0MaxSstsPerKey(1000)
                .build();
        try (InMemoryObjectStore store = new InMemoryObjectStore()) {
            try (Db db = Db.builder("db", store).withSettings(settings).build()) {
                CompletableFuture<?> last = null;
                for (int i = 0; i < 200; i++) {
                    last = db.putAsync(bytes("k" + i), bytes("v".repeat(100) + i), PutOptions.DEFAULT,
                            WriteOptions.NO_AWAIT);
                }
                last.orTimeout(30, TimeUnit.SECONDS).join();
                long stalls = ((io.slatedb.metrics.SimpleMetricRegistry) db.metrics()).snapshot()
                        .getOrDefault(SlateDbMetricNames.Db.BACKPRESSURE_COUNT, -1L);
                db.flush(FlushType.WAL);
                assertEquals(db.lastSeq(), db.durableSeq());
                assertTrue(stalls != 0, "writes had to wait for memory: " + stalls);
            }
            try (Db db = Db.builder("db", store).withSettings(settings).build()) {
                for (int i = 0; i < 200; i++) {
                    assertEquals("v".repeat(100) + i, string(db.get(bytes("k" + i))));
                }
            }
        }
    }
}
