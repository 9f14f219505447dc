package io.slatedb.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slatedb.format.fb.Checkpoint;
import io.slatedb.format.fb.ManifestV1;
import io.slatedb.interop.RustResults.WriteResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Rust SlateDB writes a database now (two writers, two L0 flushes, a checkpoint), and our generated
 * FlatBuffers accessors decode its latest manifest into exactly the epochs, WAL ids, seqs, SST ids and
 * checkpoint that SlateDB reported while writing.
 */
@RequiresNode
class RustWrittenManifestLiveTest {

    private static final String DB = "db";

    @Test
    void ourAccessorsDecodeTheManifestRustJustWrote(@TempDir Path store) throws IOException {
        WriteResult written = RustSlateDb.get().write(RustWriteJob.create(store, DB)
                .put("a", "1")
                .flushMemtable()
                .checkpoint(Duration.ofHours(1))
                .reopen()
                .put("b", "2")
                .flushMemtable());
        RustResults.OpResult putB = written.writes().get(1);
        RustResults.Checkpoint checkpoint = written.checkpoints().get(0);
        Path db = store.resolve(DB);

        List<Path> manifests = sorted(db.resolve("manifest"));
        Path latestFile = manifests.get(manifests.size() - 1);
        byte[] bytes = Files.readAllBytes(latestFile);
        assertEquals(1, Short.toUnsignedInt(ByteBuffer.wrap(bytes).getShort(0)), "manifest format version");
        ManifestV1 m = ManifestV1.getRootAsManifestV1(ByteBuffer.wrap(bytes, 2, bytes.length - 2).slice());

        assertEquals(written.manifest().path("id").asLong(), idOf(latestFile));
        // Every open bumps the writer epoch, and the embedded compactor's epoch with it.
        assertEquals(2, m.writerEpoch());
        assertEquals(2, m.compactorEpoch());
        assertTrue(m.initialized());
        // WAL 1: first writer's fence; 2: "a"; 3: second writer's fence; 4: "b". Both memtables are in L0.
        List<Long> walIds = sorted(db.resolve("wal")).stream().map(RustWrittenManifestLiveTest::idOf).toList();
        assertEquals(List.of(1L, 2L, 3L, 4L), walIds);
        assertEquals(4, m.walIdLastSeen());
        assertEquals(4, m.replayAfterWalId());
        assertEquals(putB.seq().longValue(), m.lastL0Seq());
        assertEquals(putB.createTs().longValue(), m.lastL0ClockTick());

        // Two L0 SSTs, newest first, each naming an object in compacted/.
        assertEquals(2, m.l0Length());
        String newest = RustGoldenSchemaTest.ulid(m.l0(0).id());
        String oldest = RustGoldenSchemaTest.ulid(m.l0(1).id());
        Set<String> objects = sorted(db.resolve("compacted")).stream()
                .map(p -> p.getFileName().toString().replace(".sst", "")).collect(Collectors.toSet());
        assertEquals(Set.of(newest, oldest), objects);
        assertTrue(newest.compareTo(oldest) > 0, "ULIDs sort by creation time");
        assertEquals("a", new String(bytesOf(m.l0(1).info().firstEntryAsByteBuffer())));
        assertEquals("b", new String(bytesOf(m.l0(0).info().lastEntryAsByteBuffer())));
        assertEquals(0, m.compactedLength());

        assertEquals(1, m.checkpointsLength());
        Checkpoint c = m.checkpoints(0);
        assertEquals(checkpoint.id(), new UUID(c.id().high(), c.id().low()));
        assertEquals(checkpoint.manifestId(), c.manifestId());
        assertEquals(3600, c.checkpointExpireTimeS() - c.checkpointCreateTimeS());
    }

    private static List<Path> sorted(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return new ArrayList<>(files.sorted().toList());
        }
    }

    private static long idOf(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(0, name.indexOf('.')));
    }

    private static byte[] bytesOf(ByteBuffer bb) {
        byte[] out = new byte[bb.remaining()];
        bb.duplicate().get(out);
        return out;
    }
}
