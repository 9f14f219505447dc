package io.slatedb.manifest;

import io.slatedb.format.FlatBufferVerifier;

import java.nio.ByteBuffer;

/**
 * Walks a {@code ManifestV1} or {@code ManifestV2} FlatBuffer with the schema in
 * {@code src/main/fbs/manifest.fbs}, verifying every object the decoder will read (see
 * {@link FlatBufferVerifier}). Field names below are vtable offsets: {@code 4 + 2 * slot}.
 */
final class ManifestVerifier {
    private static final boolean REQUIRED = true;
    private static final boolean OPTIONAL = false;
    private static final int OFFSET = 4;
    private static final byte UNION_NONE = 0;
    private static final byte UNION_WRITER_CHECKPOINT = 1;

    private final FlatBufferVerifier v;
    /**
     * Positions of the vectors of tables, and of their tables, seen so far. FlatBuffers may share
     * objects (SlateDB shares ULIDs), but SlateDB's writers never share these, so a second reference is
     * a damaged offset: it could make one list (say, the sorted runs) stand for another.
     */
    private final java.util.Set<Integer> seen = new java.util.HashSet<>();

    private ManifestVerifier(ByteBuffer buffer) {
        this.v = new FlatBufferVerifier(buffer);
    }

    /** Verifies a {@code ManifestV1} root in {@code buffer} (index 0 to its limit). */
    static void verifyV1(ByteBuffer buffer) {
        new ManifestVerifier(buffer).manifestV1();
    }

    /** Verifies a {@code ManifestV2} root in {@code buffer} (index 0 to its limit). */
    static void verifyV2(ByteBuffer buffer) {
        new ManifestVerifier(buffer).manifestV2();
    }

    private void manifestV1() {
        int m = v.rootTable();
        v.scalar(m, 4, 8, "manifest_id");
        tables(v.vectorField(m, 6, OFFSET, OPTIONAL, "external_dbs"), "external_db", this::externalDb);
        v.scalar(m, 8, 1, "initialized");
        for (int field = 10; field <= 16; field += 2) {
            v.scalar(m, field, 8, "epochs and WAL ids");
        }
        ulid(v.tableField(m, 18, OPTIONAL, "l0_last_compacted"));
        tables(v.vectorField(m, 20, OFFSET, REQUIRED, "l0"), "l0 SST", this::compactedSsTable);
        tables(v.vectorField(m, 22, OFFSET, REQUIRED, "compacted"), "sorted run", this::sortedRun);
        v.scalar(m, 24, 8, "last_l0_clock_tick");
        tables(v.vectorField(m, 26, OFFSET, REQUIRED, "checkpoints"), "checkpoint", this::checkpoint);
        v.scalar(m, 28, 8, "last_l0_seq");
        v.stringField(m, 30, OPTIONAL, "wal_object_store_uri");
        v.scalar(m, 32, 8, "recent_snapshot_min_seq");
        v.vectorField(m, 34, 1, OPTIONAL, "sequence_tracker");
    }

    private void manifestV2() {
        int m = v.rootTable();
        v.scalar(m, 4, 8, "manifest_id");
        tables(v.vectorField(m, 6, OFFSET, OPTIONAL, "external_dbs"), "external_db", this::externalDb);
        v.scalar(m, 8, 1, "initialized");
        for (int field = 10; field <= 16; field += 2) {
            v.scalar(m, field, 8, "epochs and WAL ids");
        }
        ulid(v.tableField(m, 18, OPTIONAL, "last_compacted_l0_sst_view_id"));
        tables(v.vectorField(m, 20, OFFSET, REQUIRED, "ssts"), "SST", this::compactedSsTableV2);
        tables(v.vectorField(m, 22, OFFSET, REQUIRED, "l0"), "l0 view", this::sstView);
        tables(v.vectorField(m, 24, OFFSET, REQUIRED, "compacted"), "sorted run", this::sortedRunV2);
        v.scalar(m, 26, 8, "last_l0_clock_tick");
        tables(v.vectorField(m, 28, OFFSET, REQUIRED, "checkpoints"), "checkpoint", this::checkpoint);
        v.scalar(m, 30, 8, "last_l0_seq");
        v.scalar(m, 32, 8, "recent_snapshot_min_seq");
        v.vectorField(m, 34, 1, OPTIONAL, "sequence_tracker");
        tables(v.vectorField(m, 36, OFFSET, OPTIONAL, "segments"), "segment", this::segment);
        v.stringField(m, 38, OPTIONAL, "segment_extractor_name");
    }

    private void externalDb(int t) {
        v.stringField(t, 4, REQUIRED, "external_db.path");
        uuid(v.tableField(t, 6, REQUIRED, "external_db.source_checkpoint_id"));
        uuid(v.tableField(t, 8, OPTIONAL, "external_db.final_checkpoint_id"));
        tables(v.vectorField(t, 10, OFFSET, REQUIRED, "external_db.sst_ids"), "external SST id", this::ulid);
    }

    private void checkpoint(int t) {
        uuid(v.tableField(t, 4, REQUIRED, "checkpoint.id"));
        v.scalar(t, 6, 8, "checkpoint.manifest_id");
        v.scalar(t, 8, 4, "checkpoint.checkpoint_expire_time_s");
        v.scalar(t, 10, 4, "checkpoint.checkpoint_create_time_s");
        v.scalar(t, 12, 1, "checkpoint.metadata_type");
        byte type = v.byteField(t, 12, UNION_NONE, "checkpoint.metadata_type");
        int metadata = v.tableField(t, 14, OPTIONAL, "checkpoint.metadata");
        if (type == UNION_NONE && metadata >= 0) {
            throw new FlatBufferVerifier.InvalidFlatBufferException("checkpoint metadata without a type");
        }
        if (type == UNION_WRITER_CHECKPOINT) {
            if (metadata < 0) {
                throw new FlatBufferVerifier.InvalidFlatBufferException("checkpoint metadata type without a value");
            }
            v.scalar(metadata, 4, 8, "writer_checkpoint.epoch");
        } else if (type != UNION_NONE) {
            throw new FlatBufferVerifier.InvalidFlatBufferException("unknown checkpoint metadata type " + type);
        }
        v.stringField(t, 16, OPTIONAL, "checkpoint.name");
    }

    private void compactedSsTable(int t) {
        ulid(v.tableField(t, 4, REQUIRED, "compacted_sst.id"));
        ssTableInfo(v.tableField(t, 6, REQUIRED, "compacted_sst.info"));
        bytesRange(v.tableField(t, 8, OPTIONAL, "compacted_sst.visible_range"));
        v.scalar(t, 10, 2, "compacted_sst.format_version");
    }

    private void compactedSsTableV2(int t) {
        ulid(v.tableField(t, 4, REQUIRED, "sst.id"));
        ssTableInfo(v.tableField(t, 6, REQUIRED, "sst.info"));
        v.scalar(t, 8, 2, "sst.format_version");
    }

    private void sstView(int t) {
        ulid(v.tableField(t, 4, REQUIRED, "sst_view.id"));
        ulid(v.tableField(t, 6, REQUIRED, "sst_view.sst_id"));
        bytesRange(v.tableField(t, 8, OPTIONAL, "sst_view.visible_range"));
    }

    private void sortedRun(int t) {
        v.scalar(t, 4, 4, "sorted_run.id");
        tables(v.vectorField(t, 6, OFFSET, REQUIRED, "sorted_run.ssts"), "sorted run SST", this::compactedSsTable);
    }

    private void sortedRunV2(int t) {
        v.scalar(t, 4, 4, "sorted_run.id");
        tables(v.vectorField(t, 6, OFFSET, REQUIRED, "sorted_run.ssts"), "sorted run view", this::sstView);
    }

    private void segment(int t) {
        v.vectorField(t, 4, 1, REQUIRED, "segment.prefix");
        ulid(v.tableField(t, 6, OPTIONAL, "segment.last_compacted_l0_sst_view_id"));
        tables(v.vectorField(t, 8, OFFSET, REQUIRED, "segment.l0"), "segment l0 view", this::sstView);
        tables(v.vectorField(t, 10, OFFSET, REQUIRED, "segment.compacted"), "segment sorted run",
                this::sortedRunV2);
    }

    private void ssTableInfo(int t) {
        v.vectorField(t, 4, 1, OPTIONAL, "sst_info.first_entry");
        for (int field = 6; field <= 12; field += 2) {
            v.scalar(t, field, 8, "sst_info offsets and lengths");
        }
        v.scalar(t, 14, 1, "sst_info.compression_format");
        v.scalar(t, 16, 1, "sst_info.sst_type");
        v.vectorField(t, 18, 1, OPTIONAL, "sst_info.last_entry");
        v.scalar(t, 20, 8, "sst_info.stats_offset");
        v.scalar(t, 22, 8, "sst_info.stats_len");
        v.scalar(t, 24, 1, "sst_info.filter_format");
    }

    private void bytesRange(int t) {
        if (t < 0) {
            return;
        }
        bytesBound(v.tableField(t, 4, REQUIRED, "visible_range.start_bound"));
        bytesBound(v.tableField(t, 6, REQUIRED, "visible_range.end_bound"));
    }

    private void bytesBound(int t) {
        v.vectorField(t, 4, 1, OPTIONAL, "bound.key");
        v.scalar(t, 6, 1, "bound.bound_type");
    }

    private void ulid(int t) {
        if (t >= 0) {
            v.scalar(t, 4, 8, "ulid.high");
            v.scalar(t, 6, 8, "ulid.low");
        }
    }

    private void uuid(int t) {
        if (t >= 0) {
            v.scalar(t, 4, 8, "uuid.high");
            v.scalar(t, 6, 8, "uuid.low");
        }
    }

    private void tables(int vector, String what, TableCheck check) {
        if (vector < 0) {
            return;
        }
        once(vector, what + " vector");
        int length = v.vectorLength(vector);
        for (int i = 0; i < length; i++) {
            int table = v.tableElement(vector, i, what);
            once(table, what);
            check.verify(table);
        }
    }

    private void once(int position, String what) {
        if (!seen.add(position)) {
            throw new FlatBufferVerifier.InvalidFlatBufferException(what + " at " + position
                    + " is referenced a second time");
        }
    }

    @FunctionalInterface
    private interface TableCheck {
        void verify(int table);
    }
}
