package io.slatedb.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.Zstd;
import com.google.flatbuffers.Table;
import io.slatedb.CompressionCodec;
import io.slatedb.format.fb.BlockMeta;
import io.slatedb.format.fb.Checkpoint;
import io.slatedb.format.fb.CompactedSsTable;
import io.slatedb.format.fb.ManifestV1;
import io.slatedb.format.fb.SortedRun;
import io.slatedb.format.fb.SsTableIndex;
import io.slatedb.format.fb.SsTableInfo;
import io.slatedb.format.fb.SstStats;
import io.slatedb.format.fb.SstType;
import io.slatedb.format.fb.Ulid;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xerial.snappy.Snappy;

/**
 * Our FlatBuffers schemas ({@code src/main/fbs}, accessors {@code io.slatedb.format.fb}) against the bytes
 * the Rust SlateDB 0.12.1 wrote: every manifest and every SST footer, index and stats block of the golden
 * databases decodes, no table holds a slot our schema does not know, and the decoded values agree with what
 * SlateDB reported while writing (seqs, epochs, SST ids, checkpoints). Runs without Node.
 *
 * <p>The block decompression here is the minimum needed to reach the index and stats blocks (SlateDB's
 * framing: payload, then a CRC32 of it; LZ4 payloads carry a 4-byte little-endian uncompressed size).
 */
class RustGoldenSchemaTest {

    /** Field (slot) counts of our schema's tables; a Rust table with more slots means a missing field. */
    private static final Map<Class<? extends Table>, Integer> OUR_SLOTS = Map.ofEntries(
            Map.entry(ManifestV1.class, 16), Map.entry(CompactedSsTable.class, 4), Map.entry(SortedRun.class, 2),
            Map.entry(Checkpoint.class, 7), Map.entry(Ulid.class, 2), Map.entry(io.slatedb.format.fb.Uuid.class, 2),
            Map.entry(SsTableInfo.class, 11), Map.entry(SsTableIndex.class, 1), Map.entry(BlockMeta.class, 2),
            Map.entry(SstStats.class, 6), Map.entry(io.slatedb.format.fb.BlockStats.class, 3));

    static Stream<String> databases() {
        return RustGoldenFixtures.names().stream();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void everyManifestDecodesAndTheLatestMatchesWhatRustReported(String name, @TempDir Path dir)
            throws IOException {
        Path db = RustGoldenFixtures.copy(name, dir).resolve("store").resolve(RustGoldenFixtures.DB_PATH);
        JsonNode expected = RustGoldenFixtures.description(name).path("expected").path("latestManifest");
        List<Path> manifests = list(db.resolve("manifest"));
        assertFalse(manifests.isEmpty());

        ManifestV1 latest = null;
        for (Path file : manifests) {
            ManifestV1 m = manifest(file);
            assertEquals(0, m.manifestId(), "manifest_id is always written as 0: " + file);
            assertTrue(m.initialized(), file.toString());
            assertTrue(m.walIdLastSeen() >= m.replayAfterWalId(), file.toString());
            latest = m;
        }
        assertEquals(expected.path("id").asLong(), idOf(manifests.get(manifests.size() - 1)));
        assertEquals(expected.path("writerEpoch").asLong(), latest.writerEpoch());
        assertEquals(expected.path("compactorEpoch").asLong(), latest.compactorEpoch());
        assertEquals(expected.path("replayAfterWalId").asLong(), latest.replayAfterWalId());
        assertEquals(expected.path("walIdLastSeen").asLong(), latest.walIdLastSeen());
        assertEquals(expected.path("lastL0Seq").asLong(), latest.lastL0Seq());
        assertEquals(RustResults.longOrNull(expected.path("lastL0ClockTick")), latest.lastL0ClockTick());

        List<String> l0 = new ArrayList<>();
        for (int i = 0; i < latest.l0Length(); i++) {
            l0.add(ulid(latest.l0(i).id()));
        }
        assertEquals(texts(expected.path("l0")), l0);
        assertEquals(expected.path("compacted").size(), latest.compactedLength());
        for (int i = 0; i < latest.compactedLength(); i++) {
            SortedRun run = latest.compacted(i);
            JsonNode expectedRun = expected.path("compacted").get(i);
            assertEquals(expectedRun.path("id").asLong(), run.id());
            List<String> ssts = new ArrayList<>();
            for (int j = 0; j < run.sstsLength(); j++) {
                ssts.add(ulid(run.ssts(j).id()));
            }
            assertEquals(texts(expectedRun.path("ssts")), ssts);
        }
        assertEquals(expected.path("checkpoints").size(), latest.checkpointsLength());
        for (int i = 0; i < latest.checkpointsLength(); i++) {
            Checkpoint c = latest.checkpoints(i);
            JsonNode e = expected.path("checkpoints").get(i);
            assertEquals(UUID.fromString(e.path("id").asText()), new UUID(c.id().high(), c.id().low()));
            assertEquals(e.path("manifestId").asLong(), c.manifestId());
            assertEquals(e.path("expireTimeS").asLong(), c.checkpointExpireTimeS());
            assertEquals(e.path("createTimeS").asLong(), c.checkpointCreateTimeS());
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void everyManifestSstEntryMatchesTheFooterOfItsObject(String name, @TempDir Path dir) throws IOException {
        Path db = RustGoldenFixtures.copy(name, dir).resolve("store").resolve(RustGoldenFixtures.DB_PATH);
        ManifestV1 latest = manifest(last(list(db.resolve("manifest"))));
        List<CompactedSsTable> entries = new ArrayList<>();
        for (int i = 0; i < latest.l0Length(); i++) {
            entries.add(latest.l0(i));
        }
        for (int i = 0; i < latest.compactedLength(); i++) {
            for (int j = 0; j < latest.compacted(i).sstsLength(); j++) {
                entries.add(latest.compacted(i).ssts(j));
            }
        }
        for (CompactedSsTable entry : entries) {
            Path file = db.resolve("compacted").resolve(ulid(entry.id()) + ".sst");
            assertTrue(Files.isRegularFile(file), "the manifest lists " + file);
            assertTrue(entry.hasFormatVersion());
            assertEquals(2, entry.formatVersion());
            Sst sst = Sst.read(file);
            assertEquals(2, sst.version);
            SsTableInfo inManifest = entry.info();
            assertArrayEquals(bytes(sst.info.firstEntryAsByteBuffer()), bytes(inManifest.firstEntryAsByteBuffer()));
            assertArrayEquals(bytes(sst.info.lastEntryAsByteBuffer()), bytes(inManifest.lastEntryAsByteBuffer()));
            assertEquals(sst.info.indexOffset(), inManifest.indexOffset());
            assertEquals(sst.info.indexLen(), inManifest.indexLen());
            assertEquals(sst.info.filterOffset(), inManifest.filterOffset());
            assertEquals(sst.info.filterLen(), inManifest.filterLen());
            assertEquals(sst.info.statsOffset(), inManifest.statsOffset());
            assertEquals(sst.info.statsLen(), inManifest.statsLen());
            assertEquals(sst.info.compressionFormat(), inManifest.compressionFormat());
            assertEquals(sst.info.sstType(), inManifest.sstType());
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void everySstFooterIndexAndStatsBlockDecodes(String name, @TempDir Path dir) throws IOException {
        Path root = RustGoldenFixtures.copy(name, dir);
        JsonNode description = RustGoldenFixtures.description(name);
        CompressionCodec codec = codecOf(description.path("settings").path("compression_codec"));
        Path db = root.resolve("store").resolve(RustGoldenFixtures.DB_PATH);
        Path walDb = description.path("walStore").isNull() ? db
                : root.resolve(description.path("walStore").asText()).resolve(RustGoldenFixtures.DB_PATH);

        for (Path file : list(db.resolve("compacted"))) {
            Sst sst = Sst.read(file);
            assertEquals(codec.id(), sst.info.compressionFormat(), file.toString());
            assertEquals(SstType.Compacted, sst.info.sstType());
            assertTrue(Arrays.compareUnsigned(bytes(sst.info.firstEntryAsByteBuffer()),
                    bytes(sst.info.lastEntryAsByteBuffer())) <= 0);
            SsTableIndex index = sst.index(codec);
            assertTrue(index.blockMetaLength() > 0);
            assertEquals(0, index.blockMeta(0).firstKeyLength(), "block 0 of a compacted SST has an empty key");
            assertBlockOffsetsAscend(index, sst);
            // 0.12.1 writes the legacy filter format: the block is the raw bloom filter, u16 probes first.
            if (sst.info.filterLen() > 0) {
                assertEquals(0, sst.info.filterFormat());
                ByteBuffer filter = ByteBuffer.wrap(decompress(codec, sst.block(sst.info.filterOffset(),
                        sst.info.filterLen())));
                assertEquals(6, Short.toUnsignedInt(filter.getShort(0)), "probes for 10 bits per key");
            }
            assertTrue(sst.info.statsLen() > 0, "0.12.1 writes a stats block for compacted SSTs");
            SstStats stats = SstStats.getRootAsSstStats(ByteBuffer.wrap(decompress(codec,
                    sst.block(sst.info.statsOffset(), sst.info.statsLen()))));
            assertSlotsKnown(stats);
            assertEquals(index.blockMetaLength(), stats.blockStatsLength());
            long puts = 0;
            long deletes = 0;
            long merges = 0;
            for (int i = 0; i < stats.blockStatsLength(); i++) {
                assertSlotsKnown(stats.blockStats(i));
                puts += stats.blockStats(i).numPuts();
                deletes += stats.blockStats(i).numDeletes();
                merges += stats.blockStats(i).numMerges();
            }
            assertEquals(List.of(stats.numPuts(), stats.numDeletes(), stats.numMerges()),
                    List.of(puts, deletes, merges));
        }

        Map<Long, JsonNode> walRows = new java.util.HashMap<>();
        description.path("expected").path("wal").forEach(f -> walRows.put(f.path("id").asLong(), f.path("rows")));
        List<Path> walFiles = list(walDb.resolve("wal"));
        assertEquals(walRows.size(), walFiles.size());
        for (Path file : walFiles) {
            Sst sst = Sst.read(file);
            assertEquals(codec.id(), sst.info.compressionFormat(), file.toString());
            SsTableIndex index = sst.index(codec);
            JsonNode rows = walRows.get(idOf(file));
            if (rows.isEmpty()) {
                // 0.12.1 fences a WAL id with an SST that has no blocks (not a 0-byte object as 0.13+ does).
                assertEquals(0, index.blockMetaLength(), file.toString());
                assertEquals(0, sst.info.firstEntryLength());
                continue;
            }
            assertEquals(SstType.Wal, sst.info.sstType());
            assertEquals(0, sst.info.lastEntryLength(), "WAL SSTs have no last entry");
            assertEquals(0, sst.info.filterLen(), "WAL SSTs have no filter");
            assertEquals(0, sst.info.statsLen(), "WAL SSTs have no stats");
            long firstSeq = rows.get(0).path("seq").asLong();
            assertEquals(firstSeq, ByteBuffer.wrap(bytes(sst.info.firstEntryAsByteBuffer())).getLong());
            assertBlockOffsetsAscend(index, sst);
            long previous = -1;
            for (int i = 0; i < index.blockMetaLength(); i++) {
                byte[] key = bytes(index.blockMeta(i).firstKeyAsByteBuffer());
                assertEquals(8, key.length, "a WAL block's first key is its first seq");
                long seq = ByteBuffer.wrap(key).getLong();
                assertTrue(seq >= previous);
                previous = seq;
            }
            assertEquals(firstSeq, ByteBuffer.wrap(bytes(index.blockMeta(0).firstKeyAsByteBuffer())).getLong());
        }
    }

    private static void assertBlockOffsetsAscend(SsTableIndex index, Sst sst) {
        assertSlotsKnown(index);
        long end = sst.info.filterLen() > 0 ? sst.info.filterOffset() : sst.info.indexOffset();
        assertEquals(0, index.blockMeta(0).offset());
        for (int i = 0; i < index.blockMetaLength(); i++) {
            assertSlotsKnown(index.blockMeta(i));
            long offset = index.blockMeta(i).offset();
            assertTrue(offset < end, "block " + i + " starts before the metadata");
            if (i > 0) {
                assertTrue(offset > index.blockMeta(i - 1).offset());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------

    private static ManifestV1 manifest(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer bb = ByteBuffer.wrap(bytes);
        assertEquals(1, Short.toUnsignedInt(bb.getShort(0)), "0.12.1 writes manifest format version 1: " + file);
        ManifestV1 m = ManifestV1.getRootAsManifestV1(bb.position(2).slice());
        assertSlotsKnown(m);
        for (int i = 0; i < m.l0Length(); i++) {
            assertSstEntrySlotsKnown(m.l0(i));
        }
        for (int i = 0; i < m.compactedLength(); i++) {
            assertSlotsKnown(m.compacted(i));
            for (int j = 0; j < m.compacted(i).sstsLength(); j++) {
                assertSstEntrySlotsKnown(m.compacted(i).ssts(j));
            }
        }
        for (int i = 0; i < m.checkpointsLength(); i++) {
            Checkpoint c = m.checkpoints(i);
            assertSlotsKnown(c);
            assertSlotsKnown(c.id());
            assertTrue(c.checkpointExpireTimeS() > c.checkpointCreateTimeS(), "0.12.1 checkpoints expire");
        }
        if (m.l0LastCompacted() != null) {
            assertSlotsKnown(m.l0LastCompacted());
        }
        return m;
    }

    private static void assertSstEntrySlotsKnown(CompactedSsTable sst) {
        assertSlotsKnown(sst);
        assertSlotsKnown(sst.id());
        assertSlotsKnown(sst.info());
    }

    private static void assertSlotsKnown(Table table) {
        int ours = OUR_SLOTS.get(table.getClass());
        int highest = FbVtables.highestFilledSlot(table);
        assertTrue(highest < ours, table.getClass().getSimpleName() + " has slot " + highest
                + " filled; our schema knows " + ours + " slots");
    }

    /** An SST object: its footer, SsTableInfo (CRC-checked) and blocks. */
    private record Sst(byte[] bytes, int version, SsTableInfo info) {

        static Sst read(Path file) throws IOException {
            byte[] bytes = Files.readAllBytes(file);
            assertTrue(bytes.length > 14, "an SST, not a 0-byte fence: " + file);
            ByteBuffer bb = ByteBuffer.wrap(bytes);
            int version = Short.toUnsignedInt(bb.getShort(bytes.length - 2));
            int metadataOffset = Math.toIntExact(bb.getLong(bytes.length - 10));
            int infoEnd = bytes.length - 14;
            CRC32 crc = new CRC32();
            crc.update(bytes, metadataOffset, infoEnd - metadataOffset);
            assertEquals(Integer.toUnsignedLong(bb.getInt(infoEnd)), crc.getValue(), "SsTableInfo CRC of " + file);
            ByteBuffer info = ByteBuffer.wrap(Arrays.copyOfRange(bytes, metadataOffset, infoEnd));
            SsTableInfo sstInfo = SsTableInfo.getRootAsSsTableInfo(info);
            assertSlotsKnown(sstInfo);
            long statsEnd = sstInfo.statsLen() > 0 ? sstInfo.statsOffset() + sstInfo.statsLen()
                    : sstInfo.indexOffset() + sstInfo.indexLen();
            assertEquals(metadataOffset, statsEnd, "the blocks end where SsTableInfo starts: " + file);
            return new Sst(bytes, version, sstInfo);
        }

        /** A stored block without its trailing CRC32, after checking the CRC. */
        byte[] block(long offset, long length) {
            int from = Math.toIntExact(offset);
            int to = Math.toIntExact(offset + length - 4);
            CRC32 crc = new CRC32();
            crc.update(bytes, from, to - from);
            assertEquals(Integer.toUnsignedLong(ByteBuffer.wrap(bytes).getInt(to)), crc.getValue(), "block CRC");
            return Arrays.copyOfRange(bytes, from, to);
        }

        SsTableIndex index(CompressionCodec codec) {
            return SsTableIndex.getRootAsSsTableIndex(ByteBuffer.wrap(decompress(codec,
                    block(info.indexOffset(), info.indexLen()))));
        }
    }

    private static byte[] decompress(CompressionCodec codec, byte[] payload) {
        try {
            return switch (codec) {
                case NONE -> payload;
                case SNAPPY -> Snappy.uncompress(payload);
                case ZLIB -> inflate(payload);
                case LZ4 -> {
                    int size = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
                    yield LZ4Factory.fastestInstance().safeDecompressor()
                            .decompress(Arrays.copyOfRange(payload, 4, payload.length), size);
                }
                case ZSTD -> Zstd.decompress(payload, Math.toIntExact(Zstd.getFrameContentSize(payload)));
            };
        } catch (IOException e) {
            throw new AssertionError("cannot decompress a " + codec + " block", e);
        }
    }

    private static byte[] inflate(byte[] payload) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(payload);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new AssertionError("truncated zlib block");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new AssertionError("bad zlib block", e);
        } finally {
            inflater.end();
        }
    }

    private static CompressionCodec codecOf(JsonNode setting) {
        return setting.isMissingNode() || setting.isNull() ? CompressionCodec.NONE
                : CompressionCodec.valueOf(setting.asText().toUpperCase(java.util.Locale.ROOT));
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static Path last(List<Path> paths) {
        return paths.get(paths.size() - 1);
    }

    private static long idOf(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(0, name.indexOf('.')));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static byte[] bytes(ByteBuffer bb) {
        if (bb == null) {
            return new byte[0];
        }
        byte[] out = new byte[bb.remaining()];
        bb.duplicate().get(out);
        return out;
    }

    /** A ULID's canonical text (26 Crockford base-32 characters) from its two 64-bit halves. */
    static String ulid(Ulid id) {
        final String alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        java.math.BigInteger v = new java.math.BigInteger(1, ByteBuffer.allocate(16).putLong(id.high())
                .putLong(id.low()).array());
        char[] out = new char[26];
        for (int i = 25; i >= 0; i--) {
            out[i] = alphabet.charAt(v.intValue() & 31);
            v = v.shiftRight(5);
        }
        return new String(out);
    }
}
