package io.slatedb.sst;

import io.slatedb.CorruptObjectException;
import io.slatedb.store.ImmutableReads;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.LocalDirectoryObjectStore;
import io.slatedb.store.ObjectNotFoundException;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.TransientObjectStoreException;
import io.slatedb.testing.ForwardingObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ObjectStoreRangeReaderTest {

    private static final byte[] DATA = "0123456789abcdefghij".getBytes();

    @TempDir
    Path temp;

    @Test
    void aLocalStoreAnswersOnTheCallingThread() throws Exception {
        try (LocalDirectoryObjectStore store = new LocalDirectoryObjectStore(temp.resolve("store"), 1)) {
            store.put("sst/a", DATA).get(10, TimeUnit.SECONDS);
            CompletableFuture<byte[]> read = new ObjectStoreRangeReader(store, "sst/a").read(5, 12);

            assertTrue(read.isDone(), "a positional read needs no other thread");
            assertArrayEquals(Arrays.copyOfRange(DATA, 5, 12), read.join());
        }
    }

    @Test
    void aTransientImmediateFailureIsReadAgainThroughGet() throws Exception {
        try (InMemoryObjectStore memory = new InMemoryObjectStore()) {
            memory.put("sst/a", DATA).join();
            AtomicInteger immediate = new AtomicInteger();
            ObjectStore flaky = new ForwardingObjectStore(memory, "flaky") {
                @Override
                public Optional<ImmutableReads> immutableReads() {
                    return Optional.of((path, start, end) -> {
                        immediate.incrementAndGet();
                        throw new TransientObjectStoreException(path, "flaky", null);
                    });
                }
            };

            assertArrayEquals(Arrays.copyOfRange(DATA, 2, 4), new ObjectStoreRangeReader(flaky, "sst/a").read(2, 4).get());
            assertEquals(1, immediate.get());
        }
    }

    @Test
    void otherImmediateFailuresAndShortObjectsFailTheRead() throws Exception {
        try (InMemoryObjectStore store = new InMemoryObjectStore()) {
            store.put("sst/a", DATA).join();

            ExecutionException missing = assertThrows(ExecutionException.class,
                    () -> new ObjectStoreRangeReader(store, "sst/none").read(0, 4).get());
            assertInstanceOf(ObjectNotFoundException.class, missing.getCause());
            ExecutionException shorter = assertThrows(ExecutionException.class,
                    () -> new ObjectStoreRangeReader(store, "sst/a").read(10, 40).get());
            assertInstanceOf(CorruptObjectException.class, shorter.getCause());
        }
    }
}
