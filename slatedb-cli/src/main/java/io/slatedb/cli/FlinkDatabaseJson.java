package io.slatedb.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slatedb.flink.fork.SnapshotDirectories.Database;

import java.util.List;

/** The SlateDB databases of a Flink checkpoint or savepoint, as {@code slatedb flink ... --json} prints them. */
final class FlinkDatabaseJson {

    private FlinkDatabaseJson() {
    }

    static ArrayNode of(List<Database> databases) {
        ArrayNode array = Json.object().arrayNode();
        for (Database database : databases) {
            ObjectNode json = array.addObject();
            json.put("operator_id", database.operatorId());
            json.put("operator_uid", database.operatorUid());
            json.put("subtask", database.subtask());
            json.put("store", database.descriptor().getStore());
            json.put("path", database.descriptor().getPath());
            json.put("checkpoint_id", database.descriptor().getCheckpointId());
            json.put("manifest_id", Json.unsigned(database.descriptor().getManifestId()));
            json.put("start_key_group", database.descriptor().getStartKeyGroup());
            json.put("end_key_group", database.descriptor().getEndKeyGroup());
            json.put("size_bytes", database.descriptor().getFullSizeBytes());
            json.put("kind", database.kind().name().toLowerCase(java.util.Locale.ROOT));
        }
        return array;
    }

    /** The databases as a text table, one row each. */
    static TextTable table(List<Database> databases) {
        TextTable table = new TextTable("OPERATOR", "UID", "SUBTASK", "KEY GROUPS", "DATABASE", "CHECKPOINT", "SIZE",
                "KIND");
        for (Database database : databases) {
            table.add(database.operatorId(), database.operatorUid() == null ? "-" : database.operatorUid(),
                    Integer.toString(database.subtask()),
                    database.descriptor().getStartKeyGroup() + "-" + database.descriptor().getEndKeyGroup(),
                    database.descriptor().getPath(), database.descriptor().getCheckpointId(),
                    Long.toString(database.descriptor().getFullSizeBytes()),
                    database.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        }
        return table;
    }
}
