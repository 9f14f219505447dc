package io.slatedb;

import io.slatedb.testing.S3ProxyServer;
import io.slatedb.testing.S3ProxyExtension;
import io.slatedb.store.ObjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.slatedb.DbReaderTest.b;
import static io.slatedb.DbReaderTest.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@link DbReader} and {@link WalChangeFeed} on a real S3 server (S3Proxy), with its conditional writes. */
@ExtendWith(S3ProxyExtension.class)
@Timeout(120)
class DbReaderS3Test {
    private final ObjectStore store;

    DbReaderS3Test(S3ProxyServer server) {
        this.store = server.openRetryingStoreOnFreshPrefix();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void aManagedReaderFollowsTheWriterAndCleansUp() {
        try (Db db = Db.builder("db", store).withSettings(DbReaderTest.SETTINGS).build()) {
            db.put(b("a"), b("1"));
            db.flush(FlushType.MEMTABLE);
            db.put(b("b"), b("2"));
            db.flush();
            UUID first;
            try (DbReader reader = DbReader.builder("db", store).withOptions(DbReaderTest.OPTIONS).build()) {
                assertEquals("1", s(reader.get(b("a"))));
                assertEquals("2", s(reader.get(b("b"))), "replayed from the WAL");
                first = reader.core().ownCheckpoint().id();

                db.put(b("c"), b("3"));
                db.flush(FlushType.MEMTABLE);
                assertNull(reader.get(b("c")));
                reader.pollNow();
                assertEquals("3", s(reader.get(b("c"))));
                assertNotEquals(first, reader.core().ownCheckpoint().id());
            }
            try (Admin admin = Admin.builder("db", store).build()) {
                assertEquals(List.of(), admin.listCheckpoints());
            }
        }
    }

    @Test
    void theChangeFeedReadsEveryWalFile() {
        long seq;
        try (Db db = Db.builder("db", store).withSettings(DbReaderTest.SETTINGS).build()) {
            db.put(b("a"), b("1"));
            seq = db.delete(b("a")).seq();
        }
        try (WalChangeFeed feed = WalChangeFeed.builder("db", store).build()) {
            long lastSeq = 0;
            for (var batch = feed.poll(Duration.ZERO); batch.isPresent(); batch = feed.poll(Duration.ZERO)) {
                for (ChangeRow row : batch.get().rows()) {
                    lastSeq = row.seq();
                }
            }
            assertEquals(seq, lastSeq);
        }
    }
}
