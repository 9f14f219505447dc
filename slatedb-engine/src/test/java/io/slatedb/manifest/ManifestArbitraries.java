package io.slatedb.manifest;

import io.slatedb.CompressionCodec;
import io.slatedb.format.Ulid;
import io.slatedb.sst.FilterFormat;
import io.slatedb.sst.SstInfo;
import io.slatedb.sst.SstType;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Random manifests covering every field: unsigned extremes, null against empty, empty lists, and
 * strings with characters from every Unicode plane.
 */
final class ManifestArbitraries {

    private ManifestArbitraries() {
    }

    /** Longs biased towards the edges of the signed and unsigned ranges. */
    static Arbitrary<Long> u64() {
        return Arbitraries.oneOf(Arbitraries.longs(),
                Arbitraries.of(0L, 1L, 2L, -1L, -2L, Long.MAX_VALUE, Long.MIN_VALUE, 0xFFFF_FFFFL));
    }

    static Arbitrary<Long> u32() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 0xFFFF_FFFFL),
                Arbitraries.of(0L, 1L, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL));
    }

    static Arbitrary<Ulid> ulids() {
        return Combinators.combine(u64(), u64()).as(Ulid::new);
    }

    static Arbitrary<UUID> uuids() {
        return Combinators.combine(u64(), u64()).as(UUID::new);
    }

    static Arbitrary<byte[]> bytes(int maxLength) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxLength);
    }

    /** Strings of valid code points, from ASCII to emoji, including the empty string. */
    static Arbitrary<String> text() {
        Arbitrary<Integer> codePoints = Arbitraries.oneOf(
                Arbitraries.integers().between(0x20, 0x7E),
                Arbitraries.integers().between(0, 0xD7FF),
                Arbitraries.integers().between(0xE000, 0xFFFF),
                Arbitraries.integers().between(0x1_0000, 0x10_FFFF));
        return codePoints.list().ofMaxSize(12).map(points -> {
            StringBuilder out = new StringBuilder();
            points.forEach(out::appendCodePoint);
            return out.toString();
        });
    }

    static Arbitrary<SstInfo> sstInfos() {
        Arbitrary<byte[]> entry = bytes(16).injectNull(0.2);
        return Combinators.combine(entry, entry, u64().list().ofSize(6), Arbitraries.of(CompressionCodec.class),
                        Arbitraries.of(SstType.class), Arbitraries.of(FilterFormat.class))
                .as((first, last, n, codec, type, filter) -> new SstInfo(first, n.get(0), n.get(1), n.get(2), n.get(3),
                        codec, type, last, n.get(4), n.get(5), filter));
    }

    static Arbitrary<CompactedSst> compactedSsts() {
        Arbitrary<Integer> formatVersion = Arbitraries.oneOf(Arbitraries.integers().between(0, 0xFFFF),
                Arbitraries.of(0, 1, 2, 0xFFFF));
        return Combinators.combine(ulids(), sstInfos(), formatVersion).as(CompactedSst::new);
    }

    static Arbitrary<KeyBound> keyBounds() {
        return Arbitraries.oneOf(Arbitraries.just(KeyBound.unbounded()),
                bytes(8).map(KeyBound::included), bytes(8).map(KeyBound::excluded));
    }

    static Arbitrary<KeyRange> keyRanges() {
        return Combinators.combine(keyBounds(), keyBounds()).as(KeyRange::new);
    }

    /** A view as a version-1 manifest can hold it: its id is its SST's id. */
    static Arbitrary<SstView> v1Views() {
        return Combinators.combine(compactedSsts(), keyRanges().injectNull(0.5))
                .as((sst, range) -> new SstView(sst.id(), sst, range));
    }

    static Arbitrary<SortedRun> sortedRuns(Arbitrary<SstView> views) {
        return Combinators.combine(u32(), views.list().ofMaxSize(4)).as(SortedRun::new);
    }

    static Arbitrary<Checkpoint> checkpoints() {
        Arbitrary<OptionalLong> writerEpoch = Arbitraries.oneOf(Arbitraries.just(OptionalLong.empty()),
                u64().map(OptionalLong::of));
        return Combinators.combine(uuids(), u64(), u32(), u32(), text().injectNull(0.3), writerEpoch)
                .as(Checkpoint::new);
    }

    static Arbitrary<ExternalDb> externalDbs() {
        return Combinators.combine(text(), uuids(), uuids().injectNull(0.3), ulids().list().ofMaxSize(4))
                .as(ExternalDb::new);
    }

    /** Manifests of unsegmented databases, which are stored as version 1. */
    static Arbitrary<Manifest> v1Manifests() {
        Arbitrary<LsmTree> trees = Combinators.combine(ulids().injectNull(0.4), v1Views().list().ofMaxSize(5),
                        sortedRuns(v1Views()).list().ofMaxSize(3))
                // A version-1 manifest stores one marker, the SST id, which is also the view id.
                .as((marker, l0, runs) -> new LsmTree(marker, marker, l0, runs));
        Arbitrary<ManifestCore> cores = Combinators.combine(Arbitraries.of(true, false), trees,
                        u64().filter(id -> id != 0), u64().list().ofSize(4), bytes(40).injectNull(0.2),
                        checkpoints().list().ofMaxSize(4), text().injectNull(0.5))
                .as((initialized, tree, nextWal, n, tracker, checkpoints, walUri) -> new ManifestCore(initialized,
                        tree, List.of(), null, nextWal, n.get(0), n.get(1), n.get(2), n.get(3), tracker, checkpoints,
                        walUri));
        return Combinators.combine(externalDbs().list().ofMaxSize(3), cores, u64(), u64()).as(Manifest::new);
    }

    /**
     * Manifests of segmented databases, which are stored as version 2: views have ids of their own,
     * the tree markers are view ids (version 2 does not store SST ids), and an SST id always denotes
     * the same SST.
     */
    static Arbitrary<Manifest> v2Manifests() {
        Arbitrary<List<CompactedSst>> pool = compactedSsts().list().ofMinSize(1).ofMaxSize(6)
                .uniqueElements(CompactedSst::id);
        return pool.flatMap(ssts -> {
            Arbitrary<SstView> views = Combinators.combine(ulids(), Arbitraries.of(ssts), keyRanges().injectNull(0.5))
                    .as(SstView::new);
            Arbitrary<LsmTree> trees = Combinators.combine(ulids().injectNull(0.4), views.list().ofMaxSize(4),
                    sortedRuns(views).list().ofMaxSize(3)).as((marker, l0, runs) -> new LsmTree(marker, null, l0, runs));
            Arbitrary<Segment> segments = Combinators.combine(bytes(6), trees).as(Segment::new);
            Arbitrary<ManifestCore> cores = Combinators.combine(Arbitraries.of(true, false), trees,
                            segments.list().ofMaxSize(3), text().injectNull(0.3), u64().filter(id -> id != 0),
                            u64().list().ofSize(4), bytes(40).injectNull(0.2), checkpoints().list().ofMaxSize(3))
                    .as((initialized, tree, segs, extractor, nextWal, n, tracker, checkpoints) -> new ManifestCore(
                            initialized, tree, segs, extractor, nextWal, n.get(0), n.get(1), n.get(2), n.get(3),
                            tracker, checkpoints, null))
                    .filter(ManifestCore::isSegmented);
            return Combinators.combine(externalDbs().list().ofMaxSize(3), cores, u64(), u64()).as(Manifest::new);
        });
    }

    /** {@code count} distinct whole-SST views, as a flush would list them. */
    static List<SstView> manyViews(int count) {
        List<SstView> views = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SstInfo info = new SstInfo(("first" + i).getBytes(), i, 100, i + 100L, 10, CompressionCodec.LZ4,
                    SstType.COMPACTED, ("last" + i).getBytes(), i + 200L, 50, FilterFormat.COMPOSITE);
            views.add(SstView.of(new CompactedSst(Ulid.of(1_700_000_000_000L + i, i, i * 31L), info, 2)));
        }
        return views;
    }
}
