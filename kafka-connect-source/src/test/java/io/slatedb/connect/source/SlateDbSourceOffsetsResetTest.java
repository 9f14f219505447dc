package io.slatedb.connect.source;

import io.slatedb.Admin;
import io.slatedb.CheckpointInfo;
import io.slatedb.CheckpointOptions;
import io.slatedb.Db;
import io.slatedb.FlushType;
import io.slatedb.WalRetention;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.slatedb.connect.source.SourceTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SlateDbSourceConnector#alterOffsets}: resetting a database's offset releases the connector's WAL
 * retention slot and snapshot checkpoints there (and only the connector's own), a full reset also in the
 * configured databases without an offset, moved offsets release nothing, and offsets or partitions that
 * are not the connector's are refused.
 */
@Timeout(60)
class SlateDbSourceOffsetsResetTest {

    private static final Duration LIFETIME = Duration.ofHours(1);

    @TempDir
    Path dir;
    private ObjectStore store;

    @BeforeEach
    void openStore() {
        store = ObjectStores.resolve(SourceTestSupport.storeUrl(dir));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private Map<String, String> config(String name, String paths) {
        Map<String, String> config = SourceTestSupport.props(dir, "unused");
        config.put("name", name);
        config.put(SlateDbSourceConfig.PATH, paths);
        return config;
    }

    /** A database in which connectors {@code names} each hold a slot and a snapshot checkpoint. */
    private void held(String path, String... names) {
        try (Db db = SourceTestSupport.open(store, path)) {
            db.put(b("k"), b("v"));
            db.flush(FlushType.WAL);
        }
        try (Admin admin = Admin.builder(path, store).build()) {
            long walId = admin.walRange().orElseThrow().oldestWalId();
            for (String name : names) {
                admin.createWalRetention(RetentionSlot.slotName(name), walId, LIFETIME);
                admin.createDetachedCheckpoint(CheckpointOptions.builder().lifetime(LIFETIME)
                        .name(RetentionSlot.snapshotCheckpointName(name)).build());
            }
        }
    }

    /** The names of the slots and the connectors' checkpoints held in {@code path}, slots first. */
    private List<String> heldIn(String path) {
        try (Admin admin = Admin.builder(path, store).build()) {
            List<String> slots = admin.listWalRetentions().stream().map(WalRetention::name).sorted().toList();
            // Slots are kept as checkpoints too, under names of their own: only the connector's are listed.
            List<String> checkpoints = admin.listCheckpoints().stream().map(CheckpointInfo::name)
                    .filter(name -> name != null && name.startsWith(RetentionSlot.NAME_PREFIX)).sorted().toList();
            return Stream.concat(slots.stream(), checkpoints.stream()).toList();
        }
    }

    private Map<String, ?> partition(String path) {
        return SourceOffsets.partition(SourceTestSupport.storeUrl(dir), path);
    }

    @Test
    void aResetOffsetReleasesTheConnectorsSlotAndSnapshotCheckpointsInThatDatabaseOnly() {
        held("one", "mine", "other");
        held("two", "mine");
        Map<Map<String, ?>, Map<String, ?>> offsets = new HashMap<>();
        offsets.put(partition("one"), null);
        offsets.put(partition("two"), new SourceOffsets.StreamPosition(3, 7).toOffset());

        assertTrue(new SlateDbSourceConnector().alterOffsets(config("mine", "one,two"), offsets));

        assertEquals(List.of("kafka-connect-source:other", "kafka-connect-source:other:snapshot"), heldIn("one"),
                "another connector's slot and checkpoint stay");
        assertEquals(List.of("kafka-connect-source:mine", "kafka-connect-source:mine:snapshot"), heldIn("two"),
                "a moved offset releases nothing");
    }

    @Test
    void aFullResetAlsoReleasesConfiguredDatabasesWithoutAnOffsetAndSkipsMissingOnes() {
        held("one", "mine");
        held("two", "mine");
        Map<Map<String, ?>, Map<String, ?>> offsets = new HashMap<>();
        offsets.put(partition("one"), null);

        assertTrue(new SlateDbSourceConnector().alterOffsets(config("mine", "one,two,never-created"), offsets));

        assertEquals(List.of(), heldIn("one"));
        assertEquals(List.of(), heldIn("two"));
    }

    @Test
    void refusesOffsetsAndPartitionsThatAreNotTheConnectors() {
        SlateDbSourceConnector connector = new SlateDbSourceConnector();
        Map<Map<String, ?>, Map<String, ?>> badOffset = new HashMap<>();
        badOffset.put(partition("one"), Map.of("position", 5L));
        ConnectException e = assertThrows(ConnectException.class,
                () -> connector.alterOffsets(config("mine", "one"), badOffset));
        assertTrue(e.getMessage().contains("is not an offset of this connector"), e.getMessage());

        Map<Map<String, ?>, Map<String, ?>> badPartition = new HashMap<>();
        badPartition.put(Map.of("topic", "t"), null);
        e = assertThrows(ConnectException.class, () -> connector.alterOffsets(config("mine", "one"), badPartition));
        assertTrue(e.getMessage().contains("is not a partition of this connector"), e.getMessage());
    }
}
