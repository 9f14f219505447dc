package io.slatedb.manifest;

import io.slatedb.CompressionCodec;
import io.slatedb.format.Ulid;
import io.slatedb.sst.FilterFormat;
import io.slatedb.sst.SstInfo;
import io.slatedb.sst.SstType;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The values of the manifests under {@code src/test/resources/golden/manifest/}, written by SlateDB
 * 0.12.1 (see the README there). They were transcribed from {@code flatc --json} dumps of the files
 * (an implementation independent of this codec), with ULIDs printed in Crockford base32 and checked
 * against the names of the SST objects SlateDB wrote.
 */
final class GoldenManifests {

    private GoldenManifests() {
    }

    /** A new database's first manifest ({@code manifest/00000000000000000001.manifest}). */
    static Manifest newDatabase() {
        List<SstView> l0 = List.of();
        List<SortedRun> runs = List.of();
        List<Checkpoint> checkpoints = List.of();
        List<ExternalDb> externalDbs = List.of();
        ManifestCore core = new ManifestCore(true, new LsmTree(null, null, l0, runs),
                List.of(), null, 0L + 1, 0L, Long.MIN_VALUE,
                0L, 0L, hex("01000000000000000000000000"),
                checkpoints, null);
        return new Manifest(externalDbs, core, 0L, 0L);
    }

    /** Two L0 SSTs after two memtable flushes, then a reopen (writer epoch 2); compactor disabled. */
    static Manifest l0Reopened() {
        List<SstView> l0 = List.of(
                view("01M80R22K2R3Q938W3N4FJX2GD", 2, null,
                        info(ascii("cherry"), ascii("cherry"), 35, 52, 35, 0, 87, 84, CompressionCodec.NONE, FilterFormat.LEGACY)),
                view("01M80R22FX6JAVBX9ZGHPHK1MD", 2, null,
                        info(ascii("apple"), ascii("banana"), 61, 52, 61, 0, 113, 84, CompressionCodec.NONE, FilterFormat.LEGACY)));
        List<SortedRun> runs = List.of();
        List<Checkpoint> checkpoints = List.of();
        List<ExternalDb> externalDbs = List.of();
        ManifestCore core = new ManifestCore(true, new LsmTree(null, null, l0, runs),
                List.of(), null, 5L + 1, 4L, 1795321563646L,
                3L, 3L, hex("010100000000000001000000000000000100000001000000006b026edb"),
                checkpoints, null);
        return new Manifest(externalDbs, core, 2L, 0L);
    }

    /** LZ4 SSTs: one L0 and one sorted run, the L0 compaction marker, three compactor checkpoints. */
    static Manifest compactedL0AndRun() {
        List<SstView> l0 = List.of(
                view("01M80R2QEVAN1KHJGEJRHA6WPM", 2, null,
                        info(ascii("key9"), ascii("key9"), 39, 51, 39, 0, 90, 77, CompressionCodec.LZ4, FilterFormat.LEGACY)));
        List<SortedRun> runs = List.of(
                new SortedRun(0, List.of(
                        view("01M80R2KK61PP6SFWNE5WRRET0", 2, null,
                                info(ascii("key0"), ascii("key3"), 91, 51, 91, 0, 142, 76, CompressionCodec.LZ4, FilterFormat.LEGACY)))));
        List<Checkpoint> checkpoints = List.of(
                new Checkpoint(UUID.fromString("c14cac49-9766-4824-8939-c43c73b841b5"), 6L, 1795322480L, 1795321580L, null, OptionalLong.empty()),
                new Checkpoint(UUID.fromString("eed258d9-2636-4759-afd4-d6c8dfaa2791"), 10L, 1795322481L, 1795321581L, null, OptionalLong.empty()),
                new Checkpoint(UUID.fromString("2d4217d1-d336-4dc6-9501-eda4f31add0b"), 12L, 1795322481L, 1795321581L, null, OptionalLong.empty()));
        List<ExternalDb> externalDbs = List.of();
        ManifestCore core = new ManifestCore(true, new LsmTree(ulid("01M80R2KG04K829J70KGGRDAME"), ulid("01M80R2KG04K829J70KGGRDAME"), l0, runs),
                List.of(), null, 6L + 1, 6L, 1795321585060L,
                5L, 5L, hex("010100000000000001000000000000000100000001000000006b026eec"),
                checkpoints, null);
        return new Manifest(externalDbs, core, 1L, 1L);
    }

    /** Two sorted runs (ids 1 and 0) and no L0, right after the second compaction. */
    static Manifest twoSortedRuns() {
        List<SstView> l0 = List.of();
        List<SortedRun> runs = List.of(
                new SortedRun(1, List.of(
                        view("01M80R2KK5SPK2724R44B2SH3B", 2, null,
                                info(ascii("key2"), ascii("key3"), 58, 51, 58, 0, 109, 72, CompressionCodec.LZ4, FilterFormat.LEGACY)))),
                new SortedRun(0, List.of(
                        view("01M80R2KCV8PJ821MDKZSKBEGY", 2, null,
                                info(ascii("key0"), ascii("key1"), 58, 51, 58, 0, 109, 72, CompressionCodec.LZ4, FilterFormat.LEGACY)))));
        List<Checkpoint> checkpoints = List.of(
                new Checkpoint(UUID.fromString("c14cac49-9766-4824-8939-c43c73b841b5"), 6L, 1795322480L, 1795321580L, null, OptionalLong.empty()),
                new Checkpoint(UUID.fromString("eed258d9-2636-4759-afd4-d6c8dfaa2791"), 10L, 1795322481L, 1795321581L, null, OptionalLong.empty()));
        List<ExternalDb> externalDbs = List.of();
        ManifestCore core = new ManifestCore(true, new LsmTree(ulid("01M80R2KG04K829J70KGGRDAME"), ulid("01M80R2KG04K829J70KGGRDAME"), l0, runs),
                List.of(), null, 5L + 1, 5L, 1795321580956L,
                4L, 4L, hex("010100000000000001000000000000000100000001000000006b026eec"),
                checkpoints, null);
        return new Manifest(externalDbs, core, 1L, 1L);
    }

    /** A DbReader's one-hour checkpoint next to two L0 SSTs. */
    static Manifest readerCheckpoint() {
        List<SstView> l0 = List.of(
                view("01M80R22ZFSB1S5X5YT721GC85", 2, null,
                        info(ascii("k2"), ascii("k2"), 32, 52, 32, 0, 84, 84, CompressionCodec.NONE, FilterFormat.LEGACY)),
                view("01M80R22WBD3SB2V6HY5VD75M6", 2, null,
                        info(ascii("k"), ascii("k"), 30, 52, 30, 0, 82, 84, CompressionCodec.NONE, FilterFormat.LEGACY)));
        List<SortedRun> runs = List.of();
        List<Checkpoint> checkpoints = List.of(
                new Checkpoint(UUID.fromString("deec8f3e-77de-4e9f-a8a9-19f3342ed582"), 4L, 1795325164L, 1795321564L, null, OptionalLong.empty()));
        List<ExternalDb> externalDbs = List.of();
        ManifestCore core = new ManifestCore(true, new LsmTree(null, null, l0, runs),
                List.of(), null, 3L + 1, 3L, 1795321564048L,
                2L, 2L, hex("010100000000000001000000000000000100000001000000006b026edb"),
                checkpoints, null);
        return new Manifest(externalDbs, core, 1L, 0L);
    }

    /** A database whose WAL lives in a separate object store: {@code wal_object_store_uri = ""}. */
    static Manifest separateWalStore() {
        List<SstView> l0 = List.of(
                view("01M80R238ED3SB2V6HY5VD75M6", 2, null,
                        info(ascii("w"), ascii("w"), 30, 52, 30, 0, 82, 84, CompressionCodec.NONE, FilterFormat.LEGACY)));
        List<SortedRun> runs = List.of();
        List<Checkpoint> checkpoints = List.of();
        List<ExternalDb> externalDbs = List.of();
        ManifestCore core = new ManifestCore(true, new LsmTree(null, null, l0, runs),
                List.of(), null, 2L + 1, 2L, 1795321564328L,
                1L, 1L, hex("010100000000000001000000000000000100000001000000006b026edc"),
                checkpoints, "");
        return new Manifest(externalDbs, core, 1L, 0L);
    }

    /** One Zstd-compressed L0 SST with a bloom filter block. */
    static Manifest zstdWithFilter() {
        List<SstView> l0 = List.of(
                view("01M80RG8RZXAB0ATT3FSK71CGX", 2, null,
                        info(ascii("k00"), ascii("k19"), 314, 57, 274, 40, 371, 74, CompressionCodec.ZSTD, FilterFormat.LEGACY)));
        List<SortedRun> runs = List.of();
        List<Checkpoint> checkpoints = List.of();
        List<ExternalDb> externalDbs = List.of();
        ManifestCore core = new ManifestCore(true, new LsmTree(null, null, l0, runs),
                List.of(), null, 21L + 1, 21L, 1795322028729L,
                20L, 20L, hex("010100000000000001000000000000000100000001000000006b0270aa"),
                checkpoints, null);
        return new Manifest(externalDbs, core, 1L, 0L);
    }

    /** A clone-shaped manifest (external dbs, named and never-expiring checkpoints, a visible range) as SlateDB rewrote it. */
    static Manifest cloneRewritten() {
        List<SstView> l0 = List.of(
                view("01M80RFK8WVWQEW13QS02W3CKP", 2, null,
                        info(ascii("date"), ascii("date"), 33, 52, 33, 0, 85, 84, CompressionCodec.NONE, FilterFormat.LEGACY)),
                view("01M80R22K2R3Q938W3N4FJX2GD", 2, null,
                        info(ascii("cherry"), ascii("cherry"), 35, 52, 35, 0, 87, 84, CompressionCodec.NONE, FilterFormat.LEGACY)),
                view("01M80R22FX6JAVBX9ZGHPHK1MD", 2, new KeyRange(KeyBound.included(ascii("apple")), KeyBound.excluded(ascii("banana"))),
                        info(ascii("apple"), ascii("banana"), 61, 52, 61, 0, 113, 84, CompressionCodec.NONE, FilterFormat.LEGACY)));
        List<SortedRun> runs = List.of();
        List<Checkpoint> checkpoints = List.of(
                new Checkpoint(UUID.fromString("11111111-2222-4333-8444-555555555555"), 1L, 0L, 1795300000L, "nightly-backup", OptionalLong.empty()),
                new Checkpoint(UUID.fromString("aaaaaaaa-bbbb-4ccc-9ddd-eeeeeeeeeeee"), 1L, 4000000000L, 1795300001L, "släp-✓", OptionalLong.empty()),
                new Checkpoint(UUID.fromString("01234567-89ab-4def-8123-456789abcdef"), 1L, 0L, 1795300002L, null, OptionalLong.empty()));
        List<ExternalDb> externalDbs = List.of(
                new ExternalDb("l0", UUID.fromString("99999999-8888-4777-8666-555555555555"), UUID.fromString("12345678-1234-4234-8234-123456789abc"),
                        List.of(
                                ulid("01M80R22K2R3Q938W3N4FJX2GD"),
                                ulid("01M80R22FX6JAVBX9ZGHPHK1MD"))),
                new ExternalDb("gone", UUID.fromString("00000000-0000-4000-8000-000000000001"), null,
                        List.of()));
        ManifestCore core = new ManifestCore(true, new LsmTree(null, null, l0, runs),
                List.of(), null, 2L + 1, 2L, 1795322006718L,
                4L, 4L, hex("0102000000000000020000000000000001818000000002000000006b026edbe1bb"),
                checkpoints, null);
        return new Manifest(externalDbs, core, 6L, 3L);
    }

    static Ulid ulid(String text) {
        return Ulid.parse(text);
    }

    static SstView view(String id, int formatVersion, KeyRange visibleRange, SstInfo info) {
        Ulid ulid = ulid(id);
        return new SstView(ulid, new CompactedSst(ulid, info, formatVersion), visibleRange);
    }

    static SstInfo info(byte[] first, byte[] last, long indexOffset, long indexLength, long filterOffset,
                        long filterLength, long statsOffset, long statsLength, CompressionCodec codec,
                        FilterFormat filterFormat) {
        return new SstInfo(first, indexOffset, indexLength, filterOffset, filterLength, codec, SstType.COMPACTED, last,
                statsOffset, statsLength, filterFormat);
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
