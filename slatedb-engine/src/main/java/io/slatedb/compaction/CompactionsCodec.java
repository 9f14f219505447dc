package io.slatedb.compaction;

import com.google.flatbuffers.FlatBufferBuilder;
import io.slatedb.CorruptObjectException;
import io.slatedb.format.Ulid;
import io.slatedb.format.fb.Compaction;
import io.slatedb.format.fb.CompactionSpec;
import io.slatedb.format.fb.CompactionsV1;
import io.slatedb.format.fb.TieredCompactionSpec;
import io.slatedb.metadata.ObjectCodec;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of a {@code .compactions} object: a 2-byte big-endian version, 1, followed by a
 * {@code CompactionsV1} FlatBuffer (schema {@code compactor.fbs}). Written as SlateDB 0.12.1 writes
 * it: empty input lists and the output SSTs are left out, a status of {@code Submitted} is left at
 * its default.
 */
public final class CompactionsCodec implements ObjectCodec<CompactionsState> {
    /** The format version 0.12.1 writes and reads. */
    public static final int VERSION_1 = 1;

    /** The codec. */
    public static final CompactionsCodec INSTANCE = new CompactionsCodec();

    private CompactionsCodec() {
    }

    @Override
    public byte[] encode(CompactionsState state) {
        FlatBufferBuilder builder = new FlatBufferBuilder(256);
        int[] compactions = new int[state.recent().size()];
        for (int i = 0; i < compactions.length; i++) {
            compactions[i] = compaction(builder, state.recent().get(i));
        }
        int recent = CompactionsV1.createRecentCompactionsVector(builder, compactions);
        int root = CompactionsV1.createCompactionsV1(builder, state.compactorEpoch(), recent);
        builder.finish(root);
        byte[] flatBuffer = builder.sizedByteArray();
        byte[] out = new byte[2 + flatBuffer.length];
        ByteBuffer.wrap(out).putShort((short) VERSION_1).put(flatBuffer);
        return out;
    }

    private static int compaction(FlatBufferBuilder builder, CompactionRecord record) {
        int id = ulid(builder, record.id());
        int l0 = 0;
        if (!record.l0ViewIds().isEmpty()) {
            int[] ids = new int[record.l0ViewIds().size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = ulid(builder, record.l0ViewIds().get(i));
            }
            l0 = TieredCompactionSpec.createL0ViewIdsVector(builder, ids);
        }
        int runs = 0;
        if (!record.sortedRuns().isEmpty()) {
            runs = TieredCompactionSpec.createSortedRunsVector(builder,
                    record.sortedRuns().stream().mapToLong(Long::longValue).toArray());
        }
        int spec = TieredCompactionSpec.createTieredCompactionSpec(builder, 0, runs, l0);
        return Compaction.createCompaction(builder, id, CompactionSpec.TieredCompactionSpec, spec,
                record.status().code(), 0);
    }

    private static int ulid(FlatBufferBuilder builder, Ulid ulid) {
        return io.slatedb.format.fb.Ulid.createUlid(builder, ulid.high(), ulid.low());
    }

    @Override
    public CompactionsState decode(String path, byte[] bytes) {
        if (bytes.length < 2 + 4) {
            throw new CorruptObjectException(path, "compactions object of " + bytes.length + " bytes is too short");
        }
        int version = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).getShort() & 0xFFFF;
        if (version != VERSION_1) {
            throw new CorruptObjectException(path, "unknown compactions version " + version + " (supported: 1)");
        }
        ByteBuffer bb = ByteBuffer.wrap(bytes, 2, bytes.length - 2).slice().order(ByteOrder.LITTLE_ENDIAN);
        try {
            CompactionsV1 root = CompactionsV1.getRootAsCompactionsV1(bb);
            List<CompactionRecord> recent = new ArrayList<>();
            for (int i = 0; i < root.recentCompactionsLength(); i++) {
                recent.add(compaction(root.recentCompactions(i)));
            }
            return new CompactionsState(root.compactorEpoch(), recent);
        } catch (IndexOutOfBoundsException | BufferUnderflowException | IllegalArgumentException
                 | NullPointerException e) {
            throw new CorruptObjectException(path, "invalid compactions FlatBuffer: " + e, e);
        }
    }

    private static CompactionRecord compaction(Compaction fb) {
        io.slatedb.format.fb.Ulid id = fb.id();
        if (id == null) {
            throw new IllegalArgumentException("a compaction without an id");
        }
        if (fb.specType() != CompactionSpec.TieredCompactionSpec) {
            throw new IllegalArgumentException("unknown compaction spec type " + fb.specType());
        }
        TieredCompactionSpec spec = (TieredCompactionSpec) fb.spec(new TieredCompactionSpec());
        List<Ulid> l0 = new ArrayList<>();
        for (int i = 0; i < spec.l0ViewIdsLength(); i++) {
            l0.add(new Ulid(spec.l0ViewIds(i).high(), spec.l0ViewIds(i).low()));
        }
        if (l0.isEmpty()) {
            for (int i = 0; i < spec.sstsLength(); i++) { // files from before view ids
                l0.add(new Ulid(spec.ssts(i).high(), spec.ssts(i).low()));
            }
        }
        List<Long> runs = new ArrayList<>();
        for (int i = 0; i < spec.sortedRunsLength(); i++) {
            runs.add(spec.sortedRuns(i));
        }
        return new CompactionRecord(new Ulid(id.high(), id.low()), l0, runs, CompactionStatus.of(fb.status()));
    }
}
