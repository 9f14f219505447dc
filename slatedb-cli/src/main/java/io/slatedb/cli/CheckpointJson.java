package io.slatedb.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slatedb.CheckpointInfo;

/**
 * A checkpoint as {@code --json} prints it: the fields {@code manifest show --json} uses (times as Unix
 * seconds, an expiry of 0 meaning never) plus the times as ISO-8601 strings ({@code null}: never).
 */
final class CheckpointJson {

    private CheckpointJson() {
    }

    static ObjectNode of(CheckpointInfo c) {
        ObjectNode json = Json.object();
        json.put("id", c.id().toString());
        json.put("manifest_id", Json.unsigned(c.manifestId()));
        json.put("create_time_s", c.createTime().getEpochSecond());
        json.put("expire_time_s", c.expireTime() == null ? 0 : c.expireTime().getEpochSecond());
        json.put("create_time", c.createTime().toString());
        json.put("expire_time", c.expireTime() == null ? null : c.expireTime().toString());
        json.put("name", c.name());
        return json;
    }
}
