package io.slatedb.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.slatedb.Db;
import io.slatedb.FlushType;
import io.slatedb.PutOptions;
import io.slatedb.Settings;
import io.slatedb.Ttl;
import io.slatedb.WriteOptions;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.ValueKind;
import io.slatedb.store.InMemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A memtable flush writes a row that has expired by the memtable's newest create_ts as a tombstone, as
 * SlateDB does; reads before the flush still return it (reads do not filter by TTL).
 */
@Timeout(30)
class L0FlushExpiryTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void expiredRowsBecomeTombstonesKeepingSeqAndCreateTs() {
        RowEntry expired = RowEntry.value(b("k"), b("v"), 7).withCreateTs(100).withExpireTs(150);
        RowEntry tombstone = L0Flusher.expiredAsTombstone(expired, 150);
        assertEquals(new RowEntry(b("k"), ValueKind.TOMBSTONE, null, 7, OptionalLong.of(100), OptionalLong.empty()),
                tombstone);
        RowEntry live = RowEntry.value(b("k"), b("v"), 7).withCreateTs(100).withExpireTs(151);
        assertEquals(live, L0Flusher.expiredAsTombstone(live, 150));
        RowEntry noTtl = RowEntry.value(b("k"), b("v"), 7).withCreateTs(100);
        assertEquals(noTtl, L0Flusher.expiredAsTombstone(noTtl, Long.MAX_VALUE));
    }

    @Test
    void aFlushDeletesValuesThatExpiredBeforeIt() {
        Clock clock = Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC);
        Settings settings = Settings.builder().flushInterval(null).build();
        try (InMemoryObjectStore store = new InMemoryObjectStore();
             Db db = Db.builder("db", store).withSettings(settings).withClock(clock).build()) {
            db.put(b("old"), b("live"), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
            db.flush(FlushType.MEMTABLE);
            PutOptions expiredAtWrite = new PutOptions(Ttl.expireAt(Instant.ofEpochMilli(999_000)));
            db.put(b("old"), b("expired"), expiredAtWrite, WriteOptions.NO_AWAIT);
            db.put(b("gone"), b("expired"), expiredAtWrite, WriteOptions.NO_AWAIT);
            db.put(b("kept"), b("v"), new PutOptions(Ttl.expireAfter(Duration.ofMinutes(1))), WriteOptions.NO_AWAIT);
            assertArrayEquals(b("expired"), db.get(b("gone")), "the memtable returns expired values");
            assertArrayEquals(b("expired"), db.get(b("old")));
            db.flush(FlushType.MEMTABLE);
            assertNull(db.get(b("gone")));
            assertNull(db.get(b("old")), "the tombstone hides the older live version");
            assertArrayEquals(b("v"), db.get(b("kept")));
        }
    }
}
