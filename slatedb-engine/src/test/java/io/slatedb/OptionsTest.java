package io.slatedb;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Defaults and validation of the per-call option values. */
class OptionsTest {

    @Test
    void readOptionsDefaultsAreSlateDbs() {
        assertEquals(DurabilityLevel.MEMORY, ReadOptions.DEFAULT.durabilityFilter());
        assertFalse(ReadOptions.DEFAULT.dirty());
        assertTrue(ReadOptions.DEFAULT.cacheBlocks());
        assertEquals(ReadOptions.DEFAULT, ReadOptions.builder().build());
    }

    @Test
    void readOptionsBuilderSetsEveryField() {
        ReadOptions options = ReadOptions.builder().durabilityFilter(DurabilityLevel.REMOTE).dirty(true)
                .cacheBlocks(false).build();
        assertEquals(new ReadOptions(DurabilityLevel.REMOTE, true, false), options);
        assertEquals(options, options.toBuilder().build());
        assertThrows(NullPointerException.class, () -> ReadOptions.builder().durabilityFilter(null));
    }

    @Test
    void scanOptionsDefaultsAreSlateDbs() {
        assertEquals(DurabilityLevel.MEMORY, ScanOptions.DEFAULT.durabilityFilter());
        assertFalse(ScanOptions.DEFAULT.dirty());
        assertEquals(1, ScanOptions.DEFAULT.readAheadBytes());
        assertFalse(ScanOptions.DEFAULT.cacheBlocks());
        assertEquals(1, ScanOptions.DEFAULT.maxFetchTasks());
        assertEquals(ScanOptions.DEFAULT, ScanOptions.builder().build());
    }

    @Test
    void scanOptionsBuilderSetsEveryField() {
        ScanOptions options = ScanOptions.builder().durabilityFilter(DurabilityLevel.REMOTE).dirty(true)
                .readAheadBytes(256 * 1024).cacheBlocks(true).maxFetchTasks(4).build();
        assertEquals(new ScanOptions(DurabilityLevel.REMOTE, true, 256 * 1024, true, 4), options);
        assertEquals(options, options.toBuilder().build());
    }

    @Test
    void scanOptionsRejectCountsBelowOne() {
        SlateDbException readAhead = assertThrows(SlateDbException.class,
                () -> ScanOptions.builder().readAheadBytes(0).build());
        assertEquals(ErrorKind.INVALID, readAhead.kind());
        assertTrue(readAhead.getMessage().contains("read_ahead_bytes"), readAhead.getMessage());
        SlateDbException tasks = assertThrows(SlateDbException.class,
                () -> ScanOptions.builder().maxFetchTasks(0).build());
        assertEquals(ErrorKind.INVALID, tasks.kind());
        assertTrue(tasks.getMessage().contains("max_fetch_tasks"), tasks.getMessage());
        assertThrows(SlateDbException.class, () -> ScanOptions.builder().readAheadBytes(-5).build());
    }

    @Test
    void writeOptionsAwaitDurabilityByDefault() {
        assertTrue(WriteOptions.DEFAULT.awaitDurable());
        assertFalse(WriteOptions.NO_AWAIT.awaitDurable());
        assertEquals(WriteOptions.DEFAULT, WriteOptions.builder().build());
        assertEquals(WriteOptions.NO_AWAIT, WriteOptions.builder().awaitDurable(false).build());
    }

    @Test
    void putOptionsDefaultToTheDatabaseTtl() {
        assertEquals(Ttl.DEFAULT, PutOptions.DEFAULT.ttl());
        assertEquals(Ttl.NO_EXPIRY, PutOptions.NO_EXPIRY.ttl());
        assertEquals(PutOptions.DEFAULT, PutOptions.builder().build());
        assertEquals(new PutOptions(Ttl.expireAfter(Duration.ofSeconds(1))),
                PutOptions.builder().ttl(Ttl.expireAfter(Duration.ofSeconds(1))).build());
        assertThrows(NullPointerException.class, () -> new PutOptions(null));
    }

    @Test
    void checkpointOptionsDefaultToANamelessPermanentCheckpointOfTheCurrentManifest() {
        assertNull(CheckpointOptions.DEFAULT.lifetime());
        assertNull(CheckpointOptions.DEFAULT.source());
        assertNull(CheckpointOptions.DEFAULT.name());
        assertEquals(CheckpointOptions.DEFAULT, CheckpointOptions.builder().build());
        UUID source = UUID.randomUUID();
        CheckpointOptions options = CheckpointOptions.builder().lifetime(Duration.ofHours(1)).source(source)
                .name("nightly").build();
        assertEquals(new CheckpointOptions(Duration.ofHours(1), source, "nightly"), options);
        assertEquals(options, options.toBuilder().build());
        assertEquals(CheckpointOptions.DEFAULT, options.toBuilder().lifetime(null).source(null).name(null).build());
    }

    @Test
    void checkpointOptionsRejectNegativeLifetimes() {
        SlateDbException e = assertThrows(SlateDbException.class,
                () -> CheckpointOptions.builder().lifetime(Duration.ofSeconds(-1)).build());
        assertEquals(ErrorKind.INVALID, e.kind());
        CheckpointOptions.builder().lifetime(Duration.ZERO).build();
    }

    @Test
    void checkpointCreateResultNeedsAnId() {
        UUID id = UUID.randomUUID();
        CheckpointCreateResult result = new CheckpointCreateResult(id, 42);
        assertEquals(id, result.id());
        assertEquals(42, result.manifestId());
        assertThrows(NullPointerException.class, () -> new CheckpointCreateResult(null, 1));
    }
}
