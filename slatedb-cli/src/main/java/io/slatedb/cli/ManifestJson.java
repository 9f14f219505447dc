package io.slatedb.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slatedb.CheckpointInfo;
import io.slatedb.ManifestView;
import io.slatedb.ManifestView.ExternalDb;
import io.slatedb.ManifestView.KeyBound;
import io.slatedb.ManifestView.KeyRange;
import io.slatedb.ManifestView.Segment;
import io.slatedb.ManifestView.SortedRun;
import io.slatedb.ManifestView.Sst;
import io.slatedb.ManifestView.SstView;
import io.slatedb.ManifestView.StoredCheckpoint;
import io.slatedb.ManifestView.Tree;

import java.util.UUID;

/**
 * A manifest as JSON, every field of it, in {@link Json}'s conventions: ULIDs in their 26-character
 * form, UUIDs in their canonical form, enums by name, times in the units the manifest stores them in.
 * {@code core.wal_id_last_seen} (what the object stores: {@code next_wal_sst_id - 1}) is added for
 * comparison with SlateDB's own tools.
 */
final class ManifestJson {

    private ManifestJson() {
    }

    /** Manifest {@code id}. */
    static ObjectNode of(long id, ManifestView manifest) {
        ObjectNode json = Json.object();
        json.put("id", Json.unsigned(id));
        json.put("writer_epoch", Json.unsigned(manifest.writerEpoch()));
        json.put("compactor_epoch", Json.unsigned(manifest.compactorEpoch()));
        json.set("core", core(manifest));
        ArrayNode externalDbs = json.putArray("external_dbs");
        manifest.externalDbs().forEach(db -> externalDbs.add(externalDb(db)));
        return json;
    }

    private static ObjectNode core(ManifestView core) {
        ObjectNode json = Json.object();
        json.put("initialized", core.initialized());
        json.put("next_wal_sst_id", Json.unsigned(core.nextWalSstId()));
        json.put("wal_id_last_seen", Json.unsigned(core.nextWalSstId() - 1));
        json.put("replay_after_wal_id", Json.unsigned(core.replayAfterWalId()));
        json.put("last_l0_clock_tick", core.lastL0ClockTick());
        json.put("last_l0_seq", Json.unsigned(core.lastL0Seq()));
        json.put("recent_snapshot_min_seq", Json.unsigned(core.recentSnapshotMinSeq()));
        json.put("sequence_tracker", Json.hex(core.sequenceTracker()));
        json.put("wal_object_store_uri", core.walObjectStoreUri());
        json.set("tree", tree(core.tree()));
        json.put("segment_extractor_name", core.segmentExtractorName());
        ArrayNode segments = json.putArray("segments");
        for (Segment segment : core.segments()) {
            ObjectNode s = segments.addObject();
            s.put("prefix", Json.hex(segment.prefix()));
            s.set("tree", tree(segment.tree()));
        }
        ArrayNode checkpoints = json.putArray("checkpoints");
        core.checkpoints().forEach(c -> checkpoints.add(checkpoint(c)));
        return json;
    }

    private static ObjectNode tree(Tree tree) {
        ObjectNode json = Json.object();
        json.put("last_compacted_l0_view_id", tree.lastCompactedL0ViewId());
        json.put("last_compacted_l0_sst_id", tree.lastCompactedL0SstId());
        ArrayNode l0 = json.putArray("l0");
        tree.l0().forEach(view -> l0.add(view(view)));
        ArrayNode runs = json.putArray("compacted");
        for (SortedRun run : tree.sortedRuns()) {
            ObjectNode r = runs.addObject();
            r.put("id", run.id());
            ArrayNode ssts = r.putArray("ssts");
            run.ssts().forEach(view -> ssts.add(view(view)));
        }
        return json;
    }

    private static ObjectNode view(SstView view) {
        ObjectNode json = Json.object();
        json.put("id", view.id());
        json.set("sst", sst(view.sst()));
        KeyRange range = view.visibleRange();
        if (range == null) {
            json.putNull("visible_range");
        } else {
            ObjectNode r = json.putObject("visible_range");
            r.set("start", bound(range.start()));
            r.set("end", bound(range.end()));
        }
        return json;
    }

    private static ObjectNode bound(KeyBound bound) {
        ObjectNode json = Json.object();
        json.put("kind", bound.kind().name());
        json.put("key", Json.hex(bound.key()));
        return json;
    }

    private static ObjectNode sst(Sst info) {
        ObjectNode json = Json.object();
        json.put("id", info.id());
        json.put("format_version", info.formatVersion());
        json.put("estimated_size", Json.unsigned(info.estimatedSize()));
        ObjectNode i = json.putObject("info");
        i.put("first_entry", Json.hex(info.firstKey()));
        i.put("last_entry", Json.hex(info.lastKey()));
        i.put("index_offset", Json.unsigned(info.indexOffset()));
        i.put("index_length", Json.unsigned(info.indexLength()));
        i.put("filter_offset", Json.unsigned(info.filterOffset()));
        i.put("filter_length", Json.unsigned(info.filterLength()));
        i.put("filter_format", info.filterFormat());
        i.put("stats_offset", Json.unsigned(info.statsOffset()));
        i.put("stats_length", Json.unsigned(info.statsLength()));
        i.put("compression", info.compression().name());
        i.put("type", info.type());
        return json;
    }

    private static ObjectNode checkpoint(StoredCheckpoint stored) {
        CheckpointInfo checkpoint = stored.info();
        ObjectNode json = Json.object();
        json.put("id", checkpoint.id().toString());
        json.put("manifest_id", Json.unsigned(checkpoint.manifestId()));
        json.put("create_time_s", stored.createTimeSeconds());
        json.put("expire_time_s", stored.expireTimeSeconds());
        json.put("name", checkpoint.name());
        if (stored.writerEpoch().isPresent()) {
            json.put("writer_epoch", Json.unsigned(stored.writerEpoch().getAsLong()));
        } else {
            json.putNull("writer_epoch");
        }
        return json;
    }

    private static ObjectNode externalDb(ExternalDb db) {
        ObjectNode json = Json.object();
        json.put("path", db.path());
        json.put("source_checkpoint_id", db.sourceCheckpointId().toString());
        json.put("final_checkpoint_id", uuid(db.finalCheckpointId()));
        ArrayNode ssts = json.putArray("sst_ids");
        db.sstIds().forEach(ssts::add);
        return json;
    }

    private static String uuid(UUID uuid) {
        return uuid == null ? null : uuid.toString();
    }
}
