package io.slatedb;

import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every handle takes a database path under the same rules and refuses one that breaks them with kind
 * INVALID, naming the path, before it touches the store.
 */
@Timeout(60)
class DbPathValidationTest {

    /** Every way a path reaches the engine: the handles' builders and openers, and clone sources. */
    private static Map<String, Function<ObjectStore, Executable>> handles(String path) {
        Map<String, Function<ObjectStore, Executable>> handles = new LinkedHashMap<>();
        handles.put("Db.open", store -> () -> Db.open(path, store));
        handles.put("Db.builder", store -> () -> Db.builder(path, store).build());
        handles.put("DbReader.open", store -> () -> DbReader.open(path, store));
        handles.put("DbReader.builder", store -> () -> DbReader.builder(path, store).build());
        handles.put("WalChangeFeed.builder", store -> () -> WalChangeFeed.builder(path, store).build());
        handles.put("Admin.builder", store -> () -> Admin.builder(path, store).build());
        handles.put("Compactor.builder", store -> () -> Compactor.builder(path, store).build());
        handles.put("GarbageCollector.builder", store -> () -> GarbageCollector.builder(path, store).build());
        handles.put("CloneSource.of", store -> () -> CloneSource.of(path, null));
        return handles;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "/db", "db/", "//db", "a//b", "./db", "a/./b", "a/../b", "..", "a\\b"})
    void everyHandleRefusesAnAmbiguousPathBeforeTouchingTheStore(String path) {
        handles(path).forEach((handle, attempt) -> {
            List<String> calls = new ArrayList<>();
            ObjectStore store = recording(calls);
            SlateDbException e = assertThrows(SlateDbException.class, attempt.apply(store), handle + " " + path);
            assertEquals(ErrorKind.INVALID, e.kind(), handle);
            assertTrue(e.getMessage().startsWith("invalid database path \"" + path + "\""),
                    handle + ": " + e.getMessage());
            assertEquals(List.of(), calls, handle + " touched the store");
        });
    }

    @Test
    void aNullPathIsInvalidToo() {
        handles(null).forEach((handle, attempt) -> assertEquals(ErrorKind.INVALID,
                assertThrows(SlateDbException.class, attempt.apply(recording(new ArrayList<>())), handle).kind(), handle));
    }

    @Test
    void nestedAndDottedNamesAreDatabasePaths() {
        try (ObjectStore store = new InMemoryObjectStore()) {
            for (String path : List.of("db", "tenants/a/db", ".hidden", "a.b/c")) {
                try (Db db = Db.open(path, store)) {
                    db.put(CloneTest.b("k"), CloneTest.b(path));
                }
                try (DbReader reader = DbReader.open(path, store)) {
                    assertEquals(path, new String(reader.get(CloneTest.b("k"))), path);
                }
                assertTrue(Futures.join(store.listAll(path + "/manifest/")).size() > 0, path);
            }
        }
    }

    /** A store that records every call and answers none of them. */
    private static ObjectStore recording(List<String> calls) {
        return (ObjectStore) Proxy.newProxyInstance(ObjectStore.class.getClassLoader(), new Class<?>[] {ObjectStore.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "describe", "toString" -> "recording://";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "close" -> null;
                    default -> {
                        calls.add(method.getName());
                        throw new AssertionError("the store was called: " + method.getName());
                    }
                });
    }
}
