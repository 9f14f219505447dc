package io.slatedb.cli;

import io.slatedb.Admin;
import io.slatedb.CheckpointOptions;
import io.slatedb.CheckpointScope;
import io.slatedb.Db;
import io.slatedb.store.LocalDirectoryObjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code slatedb get|scan} read through a read-only reader while a writer runs, and at a checkpoint. */
@Timeout(60)
class ReadCommandsTest {

    @TempDir
    Path dir;

    private String store;
    private LocalDirectoryObjectStore objects;
    private Db writer;

    @BeforeEach
    void openWriter() {
        store = GoldenDb.fileUrl(dir);
        objects = new LocalDirectoryObjectStore(dir);
        writer = Db.open("db", objects);
    }

    @AfterEach
    void closeWriter() {
        writer.close();
        objects.close();
    }

    private CliRun run(String... args) {
        return CliRun.onStore(store, args);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private int manifestCount() {
        try (Admin admin = Admin.builder("db", objects).build()) {
            return admin.listManifests().size();
        }
    }

    @Test
    void readsWhileAWriterIsOpenNeitherFenceItNorWrite() {
        writer.put(utf8("a"), utf8("1"));
        writer.put(utf8("b"), utf8("2"));
        int manifests = manifestCount();

        CliRun get = run("get", "a");
        assertEquals(0, get.exitCode(), get::describe);
        assertEquals(List.of("1"), get.outLines());
        CliRun scan = run("scan");
        assertEquals(0, scan.exitCode(), scan::describe);
        assertEquals(List.of("a\t1", "b\t2"), scan.outLines());

        assertEquals(manifests, manifestCount(), "a read commits no manifest");
        // The writer is still the writer: it writes and its writes are durable.
        writer.put(utf8("c"), utf8("3"));
        writer.flush();
        assertArrayEquals(utf8("3"), writer.get(utf8("c")));
        assertEquals(List.of("a\t1", "b\t2", "c\t3"), run("scan").outLines());
    }

    @Test
    void checkpointReadsSeeThePinnedState() {
        writer.put(utf8("a"), utf8("1"));
        UUID checkpoint = writer.createCheckpoint(CheckpointScope.ALL, CheckpointOptions.builder().build()).id();
        writer.put(utf8("a"), utf8("changed"));
        writer.put(utf8("b"), utf8("2"));
        writer.flush();

        assertEquals(List.of("1"), run("get", "a", "--checkpoint", checkpoint.toString()).outLines());
        CliRun missing = run("get", "b", "--checkpoint", checkpoint.toString());
        assertEquals(1, missing.exitCode(), missing::describe);
        assertEquals(List.of("a\t1"), run("scan", "--checkpoint", checkpoint.toString()).outLines());
        assertEquals(List.of("a\tchanged", "b\t2"), run("scan").outLines());
    }

    @Test
    void unknownOrMalformedCheckpoints() {
        writer.put(utf8("a"), utf8("1"));
        UUID absent = UUID.randomUUID();
        CliRun unknown = run("get", "a", "--checkpoint", absent.toString());
        assertEquals(1, unknown.exitCode(), unknown::describe);
        assertEquals(1, unknown.errLines().size(), unknown::describe);
        assertTrue(unknown.err().startsWith("error: ") && unknown.err().contains(absent.toString()), unknown::describe);

        CliRun malformed = run("scan", "--checkpoint", "not-a-uuid");
        assertEquals(2, malformed.exitCode(), malformed::describe);
        assertTrue(malformed.err().startsWith("error: "), malformed::describe);
    }
}
