package io.slatedb.flink.state;

import io.slatedb.Db;
import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import org.apache.flink.runtime.memory.MemoryManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The keyed backends of one slot share one set of threads, caches and stores, closed with the last lease. */
@Timeout(60)
class SlateDbSlotResourcesTest {

    private static final long MANAGED = 64L << 20;

    @TempDir
    Path tmp;

    private MemoryManager memoryManager;

    @BeforeEach
    void setUp() {
        memoryManager = MemoryManager.create(MANAGED, MemoryManager.DEFAULT_PAGE_SIZE);
    }

    @AfterEach
    void tearDown() {
        memoryManager.shutdown();
    }

    private String url(String name) {
        return "file://" + tmp.resolve(name).toAbsolutePath();
    }

    @Test
    void backendsOfOneSlotShareThreadsCachesAndStoreAndTheLastReleaseClosesThem() throws Exception {
        BackendResources first = BackendResources.ofSlot(memoryManager, 0.5, url("a"));
        BackendResources second = BackendResources.ofSlot(memoryManager, 0.5, url("a"));
        BackendResources otherStore = BackendResources.ofSlot(memoryManager, 0.5, url("b"));

        assertThat(first.isShared()).isTrue();
        assertThat(second.store()).isSameAs(first.store());
        assertThat(otherStore.store()).isNotSameAs(first.store());
        // One resource for the slot: its managed memory is taken once, whatever the number of backends.
        assertThat(memoryManager.availableMemory()).isEqualTo(MANAGED / 2);

        Db db = first.applyTo(Db.builder("db-1", first.store())).build();
        Db other = second.applyTo(Db.builder("db-2", second.store())).build();
        db.put(new byte[]{1}, new byte[]{1});
        other.put(new byte[]{2}, new byte[]{2});
        db.close();
        other.close();

        first.close();
        otherStore.close();
        assertThat(memoryManager.availableMemory()).isEqualTo(MANAGED / 2);
        Db stillUsable = second.applyTo(Db.builder("db-3", second.store())).build();
        stillUsable.close();

        second.close();

        assertThat(memoryManager.availableMemory()).isEqualTo(MANAGED);
        assertThatThrownBy(() -> second.applyTo(Db.builder("db-4", second.store())).build())
                .isInstanceOfSatisfying(SlateDbException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CLOSED));
    }

    @Test
    void aNewLeaseAfterTheLastReleaseGetsFreshResources() throws Exception {
        BackendResources first = BackendResources.ofSlot(memoryManager, 0.25, url("a"));
        first.close();

        BackendResources next = BackendResources.ofSlot(memoryManager, 0.25, url("a"));
        try (Db db = next.applyTo(Db.builder("db", next.store())).build()) {
            db.put(new byte[]{1}, new byte[]{1});
        } finally {
            next.close();
        }
        assertThat(memoryManager.availableMemory()).isEqualTo(MANAGED);
    }
}
