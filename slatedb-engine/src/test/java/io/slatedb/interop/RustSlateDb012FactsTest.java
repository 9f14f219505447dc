package io.slatedb.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slatedb.interop.RustResults.ReadResult;
import io.slatedb.interop.RustResults.WriteResult;
import io.slatedb.interop.RustWriteJob.Ttl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behaviour of the oracle, SlateDB 0.12.1, that the Java engine's design depends on. These pin what the
 * Rust side does (they would flag a change of the pinned binding), so that a Java writer producing databases
 * for 0.12 readers, and a Java reader of 0.12 databases, can rely on them.
 */
@RequiresNode
class RustSlateDb012FactsTest {

    private static final String DB = "db";

    /**
     * 0.12.1 fences a WAL id with an SST that has no rows and cannot read a 0-byte WAL object (which
     * SlateDB 0.13+ writes as its fence): readers and writers fail with "empty SSTable". A Java writer whose
     * databases 0.12 must open has to write the 0.12-style fence.
     */
    @Test
    void zeroByteWalFencesAreUnreadableFor012(@TempDir Path store) throws IOException {
        RustSlateDb rust = RustSlateDb.get();
        rust.write(RustWriteJob.create(store, DB).put("a", "1").flushWal());
        Path wal = store.resolve(DB).resolve("wal");
        assertTrue(Files.size(wal.resolve("00000000000000000001.sst")) > 0, "0.12.1's own fence is an SST");
        assertEquals(List.of("a"), keys(rust.read(store, DB)));

        Files.write(wal.resolve("00000000000000000003.sst"), new byte[0]);

        RustSlateDbException asReader = assertThrows(RustSlateDbException.class, () -> rust.read(store, DB));
        assertTrue(asReader.getMessage().contains("[Data]") && asReader.getMessage().contains("empty SSTable"),
                asReader.getMessage());
        RustSlateDbException asWriter = assertThrows(RustSlateDbException.class,
                () -> rust.readAsWriter(store, DB, List.of()));
        assertTrue(asWriter.getMessage().contains("empty SSTable"), asWriter.getMessage());
    }

    /**
     * Reads do not hide expired rows, but a memtable flush turns rows that have already expired into
     * tombstones in the L0 SST (compaction does the same later).
     */
    @Test
    void expiredRowsAreReadUntilAFlushTurnsThemIntoTombstones(@TempDir Path store) {
        RustSlateDb rust = RustSlateDb.get();
        WriteResult written = rust.write(RustWriteJob.create(store, DB)
                .put(bytes("flushed"), bytes("x"), Ttl.expireAt(1_000))
                .flushMemtable()
                .put(bytes("wal-only"), bytes("y"), Ttl.expireAt(1_000)));

        ReadResult read = rust.read(store, DB);

        assertEquals(List.of("wal-only"), keys(read), "the flushed expired row became a tombstone");
        assertEquals(1_000L, read.entries().get(0).expireTs());
        assertEquals(written.writes().get(1).createTs(), read.entries().get(0).createTs());
        // The WAL still holds the flushed row as a value: the tombstone exists only in the L0 SST.
        assertEquals("Value", rust.walDump(store, DB).get(1).rows().get(0).kind());
    }

    /** Shutdown flushes the WAL (and writes a manifest) but leaves the memtable to WAL replay. */
    @Test
    void shutdownFlushesTheWalButNotTheMemtable(@TempDir Path store) throws IOException {
        RustSlateDb rust = RustSlateDb.get();
        WriteResult written = rust.write(RustWriteJob.create(store, DB).put("a", "1"));

        assertTrue(Files.notExists(store.resolve(DB).resolve("compacted")), "no L0 SST at shutdown");
        assertEquals(0, written.manifest().path("lastL0Seq").asLong());
        assertEquals(2, written.manifest().path("walIdLastSeen").asLong(), "fence 1, data 2");
        assertEquals(List.of("a"), keys(rust.read(store, DB)));
    }

    private static List<String> keys(ReadResult read) {
        return read.entries().stream().map(RustResults.Row::keyUtf8).toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
