package io.slatedb.store;

import io.slatedb.util.Futures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ObjectStoresTest {

    @TempDir
    Path temp;

    @Test
    void memoryUrlsOpenAFreshInMemoryStoreEachTime() {
        try (ObjectStore first = ObjectStores.resolve("memory:///"); ObjectStore second = ObjectStores.resolve("memory:///")) {
            assertInstanceOf(InMemoryObjectStore.class, first);
            assertInstanceOf(InMemoryObjectStore.class, second);
            assertNotSame(first, second);
            assertEquals("memory:///", first.describe());
            Futures.join(first.put("a", new byte[] {1}));
            assertThrows(ObjectNotFoundException.class, () -> Futures.join(second.head("a")), "stores share nothing");
        }
        try (ObjectStore upperCase = ObjectStores.resolve("MEMORY:///")) {
            assertInstanceOf(InMemoryObjectStore.class, upperCase);
        }
    }

    @Test
    void fileUrlsOpenALocalDirectoryStoreThatCreatesTheDirectoryAtTheFirstWrite() throws Exception {
        Path directory = temp.resolve("new/db root");
        String url = directory.toUri().toString();
        try (ObjectStore store = ObjectStores.resolve(url)) {
            assertInstanceOf(LocalDirectoryObjectStore.class, store);
            assertEquals(url, store.describe());
            Futures.join(store.put("x/y", "bytes".getBytes(StandardCharsets.UTF_8)));
            assertTrue(Files.isDirectory(directory), "the directory is created at the first write");
        }
        assertArrayEquals("bytes".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(directory.resolve("x/y")));
    }

    @Test
    void fileUrlsMayNameLocalhostAndEndWithASlash() throws Exception {
        String path = temp.resolve("db").toString();
        try (ObjectStore store = ObjectStores.resolve("file://localhost" + path + "/")) {
            assertEquals(temp.toRealPath().resolve("db"), ((LocalDirectoryObjectStore) store).root());
        }
        try (ObjectStore store = ObjectStores.resolve("file:" + path)) {
            assertInstanceOf(LocalDirectoryObjectStore.class, store);
        }
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of(null, "required"),
                Arguments.of("", "required"),
                Arguments.of("   ", "required"),
                Arguments.of("/tmp/db", "has no scheme"),
                Arguments.of("relative/dir", "has no scheme"),
                Arguments.of("file:relative/dir", "relative path"),
                Arguments.of("file://tmp/db", "names the host \"tmp\""),
                Arguments.of("file://server/share/db", "names the host \"server\""),
                Arguments.of("file:///", "names no directory"),
                Arguments.of("file:///tmp/db?create=true", "query parameters that are not understood: create=true"),
                Arguments.of("file:///tmp/db#x", "fragment"),
                Arguments.of("memory:///db", "must be exactly memory:///"),
                Arguments.of("memory://host/", "must be exactly memory:///"),
                Arguments.of("memory:", "malformed"),
                Arguments.of("memory://", "malformed"),
                Arguments.of("memory:///?size=1", "query parameters that are not understood: size=1"),
                Arguments.of("ftp://host/dir", "unknown scheme \"ftp\""),
                Arguments.of("gs://bucket/db", "unknown scheme \"gs\""),
                Arguments.of("file:///tmp/a b|c", "malformed"),
                Arguments.of("s3:///prefix", "names no bucket"),
                Arguments.of("s3://bucket/p?color=blue", "unknown query parameter 'color'"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedUrlsAreRejectedSayingWhatIsWrong(String url, String problem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ObjectStores.resolve(url));
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        if (url != null && !url.isBlank()) {
            assertTrue(e.getMessage().contains(url), "the message names the URL: " + e.getMessage());
        }
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsAStoreError() throws Exception {
        Path file = Files.write(temp.resolve("file"), new byte[] {1});
        assertThrows(ObjectStoreException.class, () -> ObjectStores.resolve(file.resolve("sub").toUri().toString()));
    }
}
