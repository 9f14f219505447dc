package io.slatedb;

import io.slatedb.interop.RequiresNode;
import io.slatedb.interop.RustResults;
import io.slatedb.interop.RustSlateDb;
import io.slatedb.interop.RustWriteJob;
import io.slatedb.interop.WriteLog;
import io.slatedb.sst.RowEntry;
import io.slatedb.store.LocalDirectoryObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our {@link WalChangeFeed} tails the WAL of a database the Rust SlateDB 0.12.1 writes at the same time,
 * including the fence its reopening writes: every write arrives once, in sequence order, with the seq and
 * create_ts SlateDB assigned.
 */
@RequiresNode
@Timeout(180)
class WalChangeFeedRustLiveTest {
    @TempDir
    Path dir;

    @Test
    void tailsTheWalTheRustLibraryIsWriting() throws Exception {
        RustSlateDb rust = RustSlateDb.get();
        RustWriteJob create = RustWriteJob.create(dir, "db").put("seed", "0");
        WriteLog created = WriteLog.fromJob(create, rust.write(create));
        RustWriteJob job = RustWriteJob.create(dir, "db").timeout(Duration.ofSeconds(120));
        for (int i = 0; i < 300; i++) {
            if (i % 9 == 4) {
                int n = i;
                job.batch(b -> b.put("b" + n, "x" + n).delete("k" + (n % 31)));
            } else if (i % 13 == 0) {
                job.delete("k" + (i % 31));
            } else {
                job.put("k" + (i % 31), "v" + i);
            }
            if (i % 4 == 3) {
                job.flushWal();
            }
            if (i == 150) {
                job.reopen();
            }
        }

        List<RowEntry> expected = new ArrayList<>(created.writes());
        List<ChangeRow> seen = new ArrayList<>();
        try (LocalDirectoryObjectStore store = new LocalDirectoryObjectStore(dir)) {
            CompletableFuture<RustResults.WriteResult> writing = CompletableFuture.supplyAsync(() -> rust.write(job));
            long saved = 0;
            WalChangeFeed feed = WalChangeFeed.builder("db", store).withPollInterval(Duration.ofMillis(20)).build();
            try {
                while (true) {
                    Optional<ChangeBatch> batch = feed.poll(Duration.ofMillis(300));
                    if (batch.isEmpty()) {
                        if (writing.isDone()) {
                            break;
                        }
                        continue;
                    }
                    assertEquals(saved + 1, batch.get().walId());
                    seen.addAll(batch.get().rows());
                    saved = batch.get().walId();
                    if (saved % 7 == 0) { // restart from the saved position
                        feed.close();
                        feed = WalChangeFeed.builder("db", store).withStartAt(saved + 1)
                                .withPollInterval(Duration.ofMillis(20)).build();
                    }
                }
            } finally {
                feed.close();
            }
            expected.addAll(WriteLog.fromJob(job, writing.get(150, TimeUnit.SECONDS)).writes());
        }
        assertEquals(expected.size(), seen.size());
        for (int i = 0; i < expected.size(); i++) {
            RowEntry want = expected.get(i);
            ChangeRow got = seen.get(i);
            assertEquals(want.seq(), got.seq(), "row " + i);
            assertTrue(Arrays.equals(want.key(), got.key()), "row " + i);
            assertTrue(Arrays.equals(want.isTombstone() ? null : want.value(), got.value()), "row " + i);
            assertEquals(want.createTs(), got.createTs(), "row " + i);
        }
    }
}
