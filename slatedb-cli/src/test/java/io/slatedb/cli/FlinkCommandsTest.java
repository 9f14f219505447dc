package io.slatedb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slatedb.Admin;
import io.slatedb.CheckpointCreateResult;
import io.slatedb.CheckpointOptions;
import io.slatedb.CheckpointScope;
import io.slatedb.Db;
import io.slatedb.flink.snapshot.CheckpointReference;
import io.slatedb.flink.snapshot.SlateDbKeyedStateHandle;
import io.slatedb.flink.snapshot.proto.CheckpointDescriptor;
import io.slatedb.store.LocalDirectoryObjectStore;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.runtime.state.OperatorStreamStateHandle;
import org.apache.flink.runtime.state.filesystem.FileStateHandle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code slatedb flink describe|fork} on a checkpoint directory whose {@code _metadata} (written with Flink's
 * own serializer) holds two subtasks' SlateDB handles of a keyed operator and an operator state file.
 */
@Timeout(60)
class FlinkCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OperatorID KEYED = new OperatorID(1, 2);
    private static final OperatorID SOURCE = new OperatorID(3, 4);

    @TempDir
    Path dir;

    private String store;
    private Path checkpoint;
    private final byte[] operatorState = "the source's split state".getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void writeCheckpoint() throws Exception {
        store = GoldenDb.fileUrl(dir.resolve("store"));
        Files.createDirectories(dir.resolve("store"));
        checkpoint = Files.createDirectories(dir.resolve("checkpoints/chk-7"));
        OperatorState keyed = new OperatorState("counter", "counter-uid", KEYED, 2, 128);
        keyed.putState(0, OperatorSubtaskState.builder().setManagedKeyedState(handle("flink/job/op/kg-0-63", 0, 63, "a"))
                .build());
        keyed.putState(1, OperatorSubtaskState.builder().setManagedKeyedState(handle("flink/job/op/kg-64-127", 64, 127,
                "b")).build());
        Path splitFile = Files.write(checkpoint.resolve("split-state"), operatorState);
        OperatorState source = new OperatorState("numbers", "numbers-uid", SOURCE, 1, 128);
        source.putState(0, OperatorSubtaskState.builder().setManagedOperatorState(new OperatorStreamStateHandle(
                Map.of("splits", new OperatorStateHandle.StateMetaInfo(new long[] {0},
                        OperatorStateHandle.Mode.SPLIT_DISTRIBUTE)),
                new FileStateHandle(new org.apache.flink.core.fs.Path(splitFile.toUri()), operatorState.length)))
                .build());
        try (OutputStream out = Files.newOutputStream(checkpoint.resolve("_metadata"))) {
            Checkpoints.storeCheckpointMetadata(new CheckpointMetadata(7, List.of(keyed, source), List.of()),
                    new DataOutputStream(out));
        }
    }

    /** A database at {@code path} holding key {@code tag}, checkpointed, and the handle describing it. */
    private SlateDbKeyedStateHandle handle(String path, int first, int last, String tag) {
        try (LocalDirectoryObjectStore objects = new LocalDirectoryObjectStore(dir.resolve("store"));
             Db db = Db.open(path, objects)) {
            db.put(bytes(tag), bytes("value-" + tag));
            CheckpointCreateResult created = db.createCheckpoint(CheckpointScope.ALL,
                    CheckpointOptions.builder().name("flink-7").build());
            CheckpointDescriptor descriptor = CheckpointDescriptor.newBuilder().setFormatVersion(1).setStore(store)
                    .setPath(path).setCheckpointId(created.id().toString()).setManifestId(created.manifestId())
                    .setStartKeyGroup(first).setEndKeyGroup(last).setFullSizeBytes(100).build();
            return SlateDbKeyedStateHandle.of(UUID.randomUUID(), 7, descriptor, CheckpointReference.Kind.CHECKPOINT);
        }
    }

    @Test
    void describeListsEveryOperatorAndDatabase() throws Exception {
        CliRun text = ok("flink", "describe", checkpoint.toString());
        assertTrue(text.out().contains("counter-uid"), text::describe);
        assertTrue(text.out().contains("numbers-uid"), text::describe);
        assertTrue(text.out().contains("flink/job/op/kg-64-127"), text::describe);
        assertTrue(text.out().contains("64-127"), text::describe);

        JsonNode json = JSON.readTree(ok("flink", "describe", checkpoint.toString(), "--json").out());
        assertEquals(7, json.get("checkpoint_id").asLong());
        assertEquals(2, json.get("operators").size());
        JsonNode databases = json.get("databases");
        assertEquals(2, databases.size());
        assertEquals("counter-uid", databases.get(0).get("operator_uid").asText());
        assertEquals(0, databases.get(0).get("subtask").asInt());
        assertEquals("flink/job/op/kg-0-63", databases.get(0).get("path").asText());
        assertEquals(63, databases.get(0).get("end_key_group").asInt());
        assertEquals(store, databases.get(1).get("store").asText());
        assertEquals("checkpoint", databases.get(1).get("kind").asText());
    }

    @Test
    void forkClonesEveryDatabaseAndCopiesTheOtherFiles() throws Exception {
        Path fork = dir.resolve("savepoints/fork-1");
        JsonNode json = JSON.readTree(ok("flink", "fork", checkpoint.toString(), fork.toString(), "--path",
                "flink", "--json").out());
        assertEquals(1, json.get("copied_files").asInt());
        assertEquals(operatorState.length, json.get("copied_bytes").asLong());
        JsonNode databases = json.get("databases");
        assertEquals(2, databases.size());

        // The original checkpoint goes (Flink subsumed it, its job's databases deleted their checkpoints).
        deleteEveryCheckpoint("flink/job/op/kg-0-63");
        deleteEveryCheckpoint("flink/job/op/kg-64-127");
        Files.delete(checkpoint.resolve("split-state"));

        JsonNode described = JSON.readTree(ok("flink", "describe", fork.toString(), "--json").out());
        for (int subtask = 0; subtask < 2; subtask++) {
            JsonNode database = described.get("databases").get(subtask);
            assertEquals("pinned_clone", database.get("kind").asText());
            String path = database.get("path").asText();
            assertTrue(path.startsWith("flink/savepoints/fork-"), path);
            // A restore clones the fork's database at its pin, and reads the state of the original.
            String restored = "restored/" + subtask;
            try (LocalDirectoryObjectStore objects = new LocalDirectoryObjectStore(dir.resolve("store"))) {
                try (Admin admin = Admin.builder(restored, objects).build()) {
                    admin.createClone(path, UUID.fromString(database.get("checkpoint_id").asText()));
                }
                try (Db db = Db.open(restored, objects)) {
                    String tag = subtask == 0 ? "a" : "b";
                    assertArrayEquals(bytes("value-" + tag), db.get(bytes(tag)));
                }
            }
        }
        // The operator state file was copied next to the fork's _metadata.
        try (var files = Files.list(fork)) {
            assertEquals(2, files.count());
        }
        JsonNode operators = described.get("operators");
        assertEquals(2, operators.size());
    }

    @Test
    void aDirectoryWithoutMetadataIsAClearError() {
        CliRun run = CliRun.of("flink", "describe", dir.toString());
        assertEquals(1, run.exitCode(), run::describe);
        assertTrue(run.err().contains("has no _metadata"), run::describe);
        CliRun existing = CliRun.of("flink", "fork", checkpoint.toString(), checkpoint.toString());
        assertEquals(1, existing.exitCode(), existing::describe);
        assertTrue(existing.err().contains("holds a checkpoint or savepoint already"), existing::describe);
        assertFalse(Files.exists(dir.resolve("store/flink/savepoints")), "no clone left behind");
    }

    private static CliRun ok(String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(0, run.exitCode(), run::describe);
        return run;
    }

    private void deleteEveryCheckpoint(String path) {
        try (LocalDirectoryObjectStore objects = new LocalDirectoryObjectStore(dir.resolve("store"));
             Admin admin = Admin.builder(path, objects).build()) {
            admin.listCheckpoints().stream().filter(c -> c.expireTime() != null || "flink-7".equals(c.name()))
                    .forEach(c -> admin.deleteCheckpoint(c.id()));
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
