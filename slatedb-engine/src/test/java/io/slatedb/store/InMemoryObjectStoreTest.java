package io.slatedb.store;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The conformance suite on {@link InMemoryObjectStore}, plus what only the memory store promises. */
class InMemoryObjectStoreTest extends ObjectStoreConformanceTest {

    @Override
    protected ObjectStore newStore() {
        return new InMemoryObjectStore();
    }

    @Test
    void lastModifiedComesFromTheInjectedClock() throws Exception {
        Instant then = Instant.parse("2024-02-29T12:34:56.789Z");
        try (InMemoryObjectStore clocked = new InMemoryObjectStore(Clock.fixed(then, ZoneOffset.UTC))) {
            await(clocked.put("a", bytes("x")));
            assertEquals(then, await(clocked.head("a")).lastModified());
            assertEquals(then, await(clocked.get("a")).metadata().lastModified());
            assertEquals(then, await(clocked.list("", null, 1)).objects().get(0).lastModified());
        }
    }

    @Test
    void rewritingTheSameBytesChangesTheEtag() throws Exception {
        String first = await(store.put("same", bytes("unchanged"))).etag();
        String second = await(store.put("same", bytes("unchanged"))).etag();
        assertNotEquals(first, second);
        assertEquals(second, await(store.head("same")).etag());
    }

    @Test
    void copyGetsItsOwnEtag() throws Exception {
        String source = await(store.put("src", bytes("x"))).etag();
        await(store.copy("src", "dst"));
        assertNotEquals(source, await(store.head("dst")).etag());
    }

    @Test
    void aClosedStoreRejectsEveryOperation() {
        store.close();
        awaitFailure(PermanentObjectStoreException.class, store.put("a", bytes("x")));
        awaitFailure(PermanentObjectStoreException.class, store.get("a"));
        awaitFailure(PermanentObjectStoreException.class, store.head("a"));
        awaitFailure(PermanentObjectStoreException.class, store.list("", null, 1));
        awaitFailure(PermanentObjectStoreException.class, store.delete("a"));
        awaitFailure(PermanentObjectStoreException.class, store.copy("a", "b"));
    }

    @Test
    void describesItself() {
        assertEquals("memory:///", store.describe());
    }
}
