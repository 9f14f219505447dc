package io.slatedb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.slatedb.CompressionCodec;
import io.slatedb.format.Ulid;
import io.slatedb.manifest.Checkpoint;
import io.slatedb.manifest.CompactedSst;
import io.slatedb.manifest.ExternalDb;
import io.slatedb.manifest.KeyBound;
import io.slatedb.manifest.KeyRange;
import io.slatedb.manifest.LsmTree;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestCore;
import io.slatedb.manifest.Segment;
import io.slatedb.manifest.SortedRun;
import io.slatedb.manifest.SstView;
import io.slatedb.sst.FilterFormat;
import io.slatedb.sst.SstInfo;
import io.slatedb.sst.SstType;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;

/**
 * Rebuilds a {@link Manifest} from the {@code manifest show --json} output, so that a test can check the
 * JSON carries every value of the manifest: unsigned numbers are read back from their decimal digits.
 */
final class ManifestFromJson {

    private ManifestFromJson() {
    }

    static Manifest manifest(JsonNode json) {
        return new Manifest(list(json.get("external_dbs"), ManifestFromJson::externalDb), core(json.get("core")),
                u64(json.get("writer_epoch")), u64(json.get("compactor_epoch")));
    }

    private static ManifestCore core(JsonNode json) {
        return new ManifestCore(json.get("initialized").booleanValue(), tree(json.get("tree")),
                list(json.get("segments"), s -> new Segment(bytes(s.get("prefix")), tree(s.get("tree")))),
                text(json.get("segment_extractor_name")), u64(json.get("next_wal_sst_id")),
                u64(json.get("replay_after_wal_id")), json.get("last_l0_clock_tick").longValue(),
                u64(json.get("last_l0_seq")), u64(json.get("recent_snapshot_min_seq")),
                bytes(json.get("sequence_tracker")), list(json.get("checkpoints"), ManifestFromJson::checkpoint),
                text(json.get("wal_object_store_uri")));
    }

    private static LsmTree tree(JsonNode json) {
        return new LsmTree(ulid(json.get("last_compacted_l0_view_id")), ulid(json.get("last_compacted_l0_sst_id")),
                list(json.get("l0"), ManifestFromJson::view),
                list(json.get("compacted"), r -> new SortedRun(r.get("id").longValue(),
                        list(r.get("ssts"), ManifestFromJson::view))));
    }

    private static SstView view(JsonNode json) {
        JsonNode range = json.get("visible_range");
        return new SstView(ulid(json.get("id")), sst(json.get("sst")),
                range.isNull() ? null : new KeyRange(bound(range.get("start")), bound(range.get("end"))));
    }

    private static KeyBound bound(JsonNode json) {
        return new KeyBound(KeyBound.Kind.valueOf(json.get("kind").textValue()), bytes(json.get("key")));
    }

    private static CompactedSst sst(JsonNode json) {
        JsonNode i = json.get("info");
        SstInfo info = new SstInfo(bytes(i.get("first_entry")), u64(i.get("index_offset")), u64(i.get("index_length")),
                u64(i.get("filter_offset")), u64(i.get("filter_length")),
                CompressionCodec.valueOf(i.get("compression").textValue()), SstType.valueOf(i.get("type").textValue()),
                bytes(i.get("last_entry")), u64(i.get("stats_offset")), u64(i.get("stats_length")),
                FilterFormat.valueOf(i.get("filter_format").textValue()));
        return new CompactedSst(ulid(json.get("id")), info, json.get("format_version").intValue());
    }

    private static Checkpoint checkpoint(JsonNode json) {
        JsonNode epoch = json.get("writer_epoch");
        return new Checkpoint(UUID.fromString(json.get("id").textValue()), u64(json.get("manifest_id")),
                json.get("expire_time_s").longValue(), json.get("create_time_s").longValue(),
                text(json.get("name")), epoch.isNull() ? OptionalLong.empty() : OptionalLong.of(u64(epoch)));
    }

    private static ExternalDb externalDb(JsonNode json) {
        JsonNode finalCheckpoint = json.get("final_checkpoint_id");
        return new ExternalDb(json.get("path").textValue(), UUID.fromString(json.get("source_checkpoint_id").textValue()),
                finalCheckpoint.isNull() ? null : UUID.fromString(finalCheckpoint.textValue()),
                list(json.get("sst_ids"), ManifestFromJson::ulid));
    }

    /** An unsigned 64-bit number: its decimal digits, whatever JSON number type they were parsed into. */
    static long u64(JsonNode json) {
        if (!json.isIntegralNumber() || json.bigIntegerValue().signum() < 0
                || json.bigIntegerValue().bitLength() > 64) {
            throw new AssertionError("not an unsigned 64-bit number: " + json);
        }
        return json.bigIntegerValue().longValue();
    }

    private static <T> List<T> list(JsonNode array, Function<JsonNode, T> element) {
        if (!array.isArray()) {
            throw new AssertionError("not an array: " + array);
        }
        List<T> out = new ArrayList<>();
        array.forEach(e -> out.add(element.apply(e)));
        return out;
    }

    private static Ulid ulid(JsonNode json) {
        return json.isNull() ? null : Ulid.parse(json.textValue());
    }

    private static byte[] bytes(JsonNode json) {
        return json.isNull() ? null : HexFormat.of().parseHex(json.textValue());
    }

    private static String text(JsonNode json) {
        return json.isNull() ? null : json.textValue();
    }
}
