package io.slatedb.flink;

import io.slatedb.Admin;
import io.slatedb.CheckpointCreateResult;
import io.slatedb.CheckpointOptions;
import io.slatedb.CheckpointScope;
import io.slatedb.Db;
import io.slatedb.flink.restore.EarlierAttempts;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Databases of earlier attempts go once no checkpoint references them; nothing else is touched. */
@Timeout(120)
class SlateDbEarlierAttemptsTest {

    private static final String PREFIX = "flink/job-a/op/kg-0-127-attempt-";

    @TempDir
    Path tmp;

    private ObjectStore store;

    @BeforeEach
    void setUp() {
        store = ObjectStores.resolve(TestStores.url(tmp.resolve("store")));
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    /** A database holding one flushed row, with a checkpoint when {@code checkpointed}. */
    private CheckpointCreateResult database(String path, boolean checkpointed) {
        try (Db db = Db.builder(path, store).build()) {
            db.put("k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8));
            return checkpointed
                    ? db.createCheckpoint(CheckpointScope.ALL, CheckpointOptions.builder().name("flink-1").build())
                    : null;
        }
    }

    private boolean exists(String path) {
        return !store.listAll(path + "/").join().isEmpty();
    }

    @Test
    void unreferencedEarlierAttemptsAreDeletedAndEverythingElseKept() {
        database(PREFIX + "0-failed", false);
        database(PREFIX + "1-checkpointed", true);
        database(PREFIX + "2-own", false);
        database("flink/job-b/op/kg-0-127-attempt-0-fork", false);
        database("flink/job-a/op/kg-0-63-attempt-0-other-range", false);
        database("flink/job-a/other-op/kg-0-127-attempt-0-other-operator", false);

        assertThat(EarlierAttempts.sweep(store, PREFIX, PREFIX + "2-own")).containsExactly(PREFIX + "0-failed");

        assertThat(exists(PREFIX + "0-failed")).isFalse();
        assertThat(exists(PREFIX + "1-checkpointed")).isTrue();
        assertThat(exists(PREFIX + "2-own")).isTrue();
        assertThat(exists("flink/job-b/op/kg-0-127-attempt-0-fork")).isTrue();
        assertThat(exists("flink/job-a/op/kg-0-63-attempt-0-other-range")).isTrue();
        assertThat(exists("flink/job-a/other-op/kg-0-127-attempt-0-other-operator")).isTrue();
    }

    @Test
    void deletingAnUnreferencedCloneReleasesItsSourceInTheSameSweep() {
        CheckpointCreateResult checkpoint = database(PREFIX + "0-source", true);
        try (Admin clone = Admin.builder(PREFIX + "1-clone", store).build()) {
            clone.createClone(PREFIX + "0-source", checkpoint.id());
        }
        try (Admin source = Admin.builder(PREFIX + "0-source", store).build()) {
            // Flink discarded the checkpoint: only the clone's pin holds the source now.
            source.deleteCheckpoint(checkpoint.id());
            assertThat(source.listCheckpoints()).hasSize(1);
        }

        assertThat(EarlierAttempts.sweep(store, PREFIX, PREFIX + "2-own"))
                .containsExactlyInAnyOrder(PREFIX + "1-clone", PREFIX + "0-source");

        assertThat(exists(PREFIX + "0-source")).isFalse();
        assertThat(exists(PREFIX + "1-clone")).isFalse();
    }

    @Test
    void aCloneStillReadingItsSourceKeepsIt() {
        CheckpointCreateResult checkpoint = database(PREFIX + "0-source", true);
        try (Admin clone = Admin.builder(PREFIX + "1-own-clone", store).build()) {
            clone.createClone(PREFIX + "0-source", checkpoint.id());
        }
        try (Admin source = Admin.builder(PREFIX + "0-source", store).build()) {
            source.deleteCheckpoint(checkpoint.id());
        }

        assertThat(EarlierAttempts.sweep(store, PREFIX, PREFIX + "1-own-clone")).isEmpty();

        assertThat(exists(PREFIX + "0-source")).isTrue();
    }
}
