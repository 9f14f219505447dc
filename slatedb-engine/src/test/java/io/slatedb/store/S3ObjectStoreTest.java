package io.slatedb.store;

import io.slatedb.testing.S3ProxyServer;
import io.slatedb.testing.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.slatedb.store.StoreFutures.await;
import static io.slatedb.store.StoreFutures.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link S3ObjectStore} against S3Proxy: every operation, the contract's range rules and error mapping. */
@ExtendWith(S3ProxyExtension.class)
@Timeout(60)
class S3ObjectStoreTest {

    private static final byte[] TWENTY = "abcdefghijklmnopqrst".getBytes(StandardCharsets.US_ASCII);

    private final S3ProxyServer server;
    private S3ObjectStore store;
    private final List<RetryingObjectStore> wrappers = new ArrayList<>();

    S3ObjectStoreTest(S3ProxyServer server) {
        this.server = server;
    }

    @BeforeEach
    void openStore() {
        store = server.openStoreOnFreshPrefix();
    }

    @AfterEach
    void closeStore() {
        wrappers.forEach(RetryingObjectStore::close);
        store.close();
    }

    // --- put, get, head ---

    @Test
    void putThenGetReturnsTheBytesAndTheWholeObjectsMetadata() {
        Instant before = Instant.now().minusSeconds(5);
        PutResult put = await(store.put("dir/a.sst", TWENTY,
                new PutOptions(PutMode.OVERWRITE, Map.of("colour", "blue", "slatedbputid", "01ABC"))));
        assertNotNull(put.etag());

        GetResult got = await(store.get("dir/a.sst"));

        assertArrayEquals(TWENTY, got.data());
        assertEquals("dir/a.sst", got.metadata().path());
        assertEquals(20, got.metadata().size());
        assertEquals(put.etag(), got.metadata().etag());
        assertEquals(Map.of("colour", "blue", "slatedbputid", "01ABC"), got.metadata().userMetadata());
        assertTrue(got.metadata().lastModified().isAfter(before), "last-modified " + got.metadata().lastModified());
    }

    @Test
    void headReturnsSizeEtagLastModifiedAndUserMetadata() {
        PutResult put = await(store.put("h", TWENTY, new PutOptions(PutMode.OVERWRITE, Map.of("k", "v"))));

        ObjectMetadata head = await(store.head("h"));

        assertEquals(new ObjectMetadata("h", 20, put.etag(), head.lastModified(), Map.of("k", "v")), head);
        assertTrue(head.lastModified().isAfter(Instant.now().minus(Duration.ofMinutes(5))));
    }

    @Test
    void anEmptyObjectRoundTrips() {
        await(store.put("empty", new byte[0]));

        assertArrayEquals(new byte[0], await(store.get("empty")).data());
        assertEquals(0, await(store.head("empty")).size());
    }

    @Test
    void overwritePutReplacesTheObjectAndChangesTheEtag() {
        PutResult first = await(store.put("o", bytes("one")));
        PutResult second = await(store.put("o", bytes("two")));

        assertNotEquals(first.etag(), second.etag());
        assertArrayEquals(bytes("two"), await(store.get("o")).data());
    }

    @Test
    void missingObjectsAreNotFoundForGetRangedGetAndHead() {
        assertEquals("nope", failure(store.get("nope"), ObjectNotFoundException.class).path());
        assertEquals("nope", failure(store.get("nope", ByteRange.of(0, 4)), ObjectNotFoundException.class).path());
        assertEquals("nope", failure(store.head("nope"), ObjectNotFoundException.class).path());
    }

    // --- conditional puts ---

    @Test
    void createSucceedsOnANewPathAndFailsWithAlreadyExistsOnAnExistingOne() {
        PutResult created = await(store.put("m/1.manifest", bytes("first"), PutOptions.CREATE));

        ObjectAlreadyExistsException conflict = failure(
                store.put("m/1.manifest", bytes("second"), PutOptions.CREATE), ObjectAlreadyExistsException.class);

        assertEquals("m/1.manifest", conflict.path());
        assertArrayEquals(bytes("first"), await(store.get("m/1.manifest")).data());
        assertEquals(created.etag(), await(store.head("m/1.manifest")).etag());
    }

    @Test
    void ifMatchWithTheCurrentEtagReplacesTheObject() {
        PutResult first = await(store.put("b", bytes("1")));

        PutResult second = await(store.put("b", bytes("2"), PutOptions.of(PutMode.ifMatch(first.etag()))));

        assertArrayEquals(bytes("2"), await(store.get("b")).data());
        assertEquals(second.etag(), await(store.head("b")).etag());
    }

    @Test
    void ifMatchWithAStaleEtagFailsWithPreconditionFailedAndKeepsTheObject() {
        PutResult stale = await(store.put("b", bytes("1")));
        await(store.put("b", bytes("2")));

        PreconditionFailedException conflict = failure(
                retryingEarlyAnswers().put("b", bytes("3"), PutOptions.of(PutMode.ifMatch(stale.etag()))),
                PreconditionFailedException.class);

        assertFalse(conflict instanceof ObjectAlreadyExistsException, "an if-match loss is not an already-exists");
        assertEquals("b", conflict.path());
        assertArrayEquals(bytes("2"), await(store.get("b")).data());
    }

    @Test
    void ifMatchOnAMissingObjectIsNotFound() {
        failure(retryingEarlyAnswers().put("gone", bytes("x"), PutOptions.of(PutMode.ifMatch("\"abc\""))),
                ObjectNotFoundException.class);
    }

    // --- ranges ---

    @Test
    void rangesReturnTheirBytesAndTheWholeObjectsMetadata() {
        PutResult put = await(store.put("r", TWENTY, new PutOptions(PutMode.OVERWRITE, Map.of("k", "v"))));

        GetResult middle = await(store.get("r", ByteRange.of(2, 4)));
        assertArrayEquals(bytes("cdef"), middle.data());
        assertEquals(new ObjectMetadata("r", 20, put.etag(), middle.metadata().lastModified(), Map.of("k", "v")),
                middle.metadata());

        assertArrayEquals(bytes("pqrst"), await(store.get("r", ByteRange.of(15, 100))).data(), "clipped to the end");
        assertArrayEquals(bytes("t"), await(store.get("r", ByteRange.of(19, 1))).data());
        assertArrayEquals(bytes("fghijklmnopqrst"), await(store.get("r", ByteRange.from(5))).data());
        assertArrayEquals(TWENTY, await(store.get("r", ByteRange.from(0))).data());
        assertArrayEquals(bytes("rst"), await(store.get("r", ByteRange.suffix(3))).data());
        assertArrayEquals(TWENTY, await(store.get("r", ByteRange.suffix(100))).data(), "a long suffix is all");
        assertEquals(20, await(store.get("r", ByteRange.suffix(100))).metadata().size());
    }

    @Test
    void zeroLengthRangesReturnNoBytes() {
        await(store.put("r", TWENTY));

        GetResult none = await(store.get("r", ByteRange.of(3, 0)));
        assertArrayEquals(new byte[0], none.data());
        assertEquals(20, none.metadata().size());
        assertArrayEquals(new byte[0], await(store.get("r", ByteRange.suffix(0))).data());
    }

    @Test
    void aRangeStartingPastTheEndOfANonEmptyObjectIsPermanent() {
        await(store.put("r", TWENTY));

        for (ByteRange range : List.of(ByteRange.of(20, 1), ByteRange.of(25, 5), ByteRange.from(20), ByteRange.of(20, 0))) {
            PermanentObjectStoreException error = failure(store.get("r", range), PermanentObjectStoreException.class);
            assertEquals("r", error.path(), range.toString());
        }
    }

    @Test
    void anyRangeOfAnEmptyObjectReturnsNoBytes() {
        PutResult put = await(store.put("e", new byte[0]));

        for (ByteRange range : List.of(ByteRange.of(0, 10), ByteRange.of(5, 1), ByteRange.from(0), ByteRange.from(7),
                ByteRange.suffix(5), ByteRange.suffix(0), ByteRange.of(0, 0))) {
            GetResult got = await(store.get("e", range));
            assertArrayEquals(new byte[0], got.data(), range.toString());
            assertEquals(0, got.metadata().size(), range.toString());
            assertEquals(put.etag(), got.metadata().etag(), range.toString());
        }
    }

    // --- list ---

    @Test
    void listPagesThroughEverythingInOrderWithSmallPages() {
        List<String> paths = List.of("wal/00000000000000000001.sst", "wal/00000000000000000002.sst",
                "wal/00000000000000000003.sst", "wal/00000000000000000004.sst", "wal/00000000000000000005.sst",
                "wal/00000000000000000006.sst", "wal/00000000000000000007.sst");
        for (int i = paths.size() - 1; i >= 0; i--) {
            await(store.put(paths.get(i), bytes(paths.get(i))));
        }
        await(store.put("manifest/00000000000000000001.manifest", bytes("m")));

        List<String> seen = new ArrayList<>();
        List<Boolean> truncated = new ArrayList<>();
        String startAfter = null;
        do {
            ListPage page = await(store.list("wal/", startAfter, 2));
            truncated.add(page.truncated());
            assertTrue(page.objects().size() <= 2);
            for (ObjectMetadata object : page.objects()) {
                seen.add(object.path());
                assertEquals(object.path().length(), object.size());
                assertNotNull(object.etag());
                assertEquals(Map.of(), object.userMetadata());
            }
            startAfter = page.objects().isEmpty() ? null : page.objects().get(page.objects().size() - 1).path();
        } while (truncated.get(truncated.size() - 1));

        assertEquals(paths, seen);
        assertEquals(List.of(true, true, true, false), truncated);
        assertEquals(paths, await(store.listAll("wal/", 3)).stream().map(ObjectMetadata::path).toList());
        assertEquals(8, await(store.listAll("")).size());
    }

    @Test
    void listStartsStrictlyAfterStartAfterAndHonoursThePrefix() {
        for (String path : List.of("a/1", "a/2", "a/3", "ab/1", "b/1")) {
            await(store.put(path, bytes(path)));
        }

        assertEquals(List.of("a/2", "a/3"), paths(await(store.list("a/", "a/1", 10))));
        assertEquals(List.of("a/1", "a/2", "a/3", "ab/1"), paths(await(store.list("a", null, 10))));
        assertEquals(List.of(), paths(await(store.list("c/", null, 10))));
        assertFalse(await(store.list("a/", null, 3)).truncated(), "exactly a full page, nothing after it");
    }

    @Test
    void storesOnDifferentPrefixesOfOneBucketDoNotSeeEachOther() {
        String prefix = server.freshPrefix();
        try (S3ObjectStore one = server.openStore(prefix);
             S3ObjectStore other = server.openStore(prefix + "-2")) {
            await(one.put("same", bytes("one")));
            await(other.put("same", bytes("other")));
            await(other.put("only-other", bytes("x")));

            assertArrayEquals(bytes("one"), await(one.get("same")).data());
            assertArrayEquals(bytes("other"), await(other.get("same")).data());
            assertEquals(List.of("same"), paths(await(one.list("", null, 100))));
            failure(one.head("only-other"), ObjectNotFoundException.class);

            await(one.delete("same"));
            assertArrayEquals(bytes("other"), await(other.get("same")).data());
        }
    }

    // --- delete, copy ---

    @Test
    void deleteRemovesTheObjectAndDeletingAMissingObjectSucceeds() {
        await(store.put("d", bytes("x")));

        await(store.delete("d"));
        failure(store.get("d"), ObjectNotFoundException.class);
        await(store.delete("d"));
        await(store.delete("never-was"));
    }

    @Test
    void copyDuplicatesTheBytesOverwritesTheTargetAndDropsUserMetadata() {
        await(store.put("src", TWENTY, new PutOptions(PutMode.OVERWRITE, Map.of("slatedbputid", "x"))));
        await(store.put("dst", bytes("old")));

        await(store.copy("src", "dst"));

        GetResult copied = await(store.get("dst"));
        assertArrayEquals(TWENTY, copied.data());
        assertEquals(Map.of(), copied.metadata().userMetadata());
        assertArrayEquals(TWENTY, await(store.get("src")).data());
    }

    @Test
    void copyOfAMissingSourceIsNotFoundNamingTheSource() {
        assertEquals("missing", failure(store.copy("missing", "dst"), ObjectNotFoundException.class).path());
    }

    // --- errors that S3Proxy can produce ---

    @Test
    void wrongCredentialsArePermanent() {
        S3ObjectStore.Config config = server.config(server.freshPrefix())
                .withCredentials(new S3ObjectStore.StaticCredentials("slatedb-test-access-key", "wrong"));
        try (S3ObjectStore bad = new S3ObjectStore(config)) {
            PermanentObjectStoreException error = failure(bad.get("p"), PermanentObjectStoreException.class);
            assertEquals("p", error.path());
            assertTrue(error.getMessage().contains("403"), error.getMessage());
            assertTrue(error.getMessage().contains("/p"), error.getMessage());
            failure(bad.head("p"), PermanentObjectStoreException.class);
            failure(bad.list("", null, 10), PermanentObjectStoreException.class);
            failure(retryingEarlyAnswers(bad).put("p", bytes("x")), PermanentObjectStoreException.class);
        }
    }

    @Test
    void aMissingBucketIsPermanentNotObjectNotFound() {
        S3ObjectStore.Config config = S3ObjectStore.Config.forBucket("no-such-bucket")
                .withRegion(S3ProxyServer.REGION).withEndpoint(server.endpoint()).withPathStyle(true)
                .withCredentials(server.credentials());
        try (S3ObjectStore bad = new S3ObjectStore(config, server.client())) {
            PermanentObjectStoreException error = failure(bad.get("p"), PermanentObjectStoreException.class);
            assertTrue(error.getMessage().contains("NoSuchBucket"), error.getMessage());
        }
    }

    @Test
    void invalidPathsArePermanentAndNeverSent() {
        for (String path : List.of("", "/abs", "a//b", "a/./b", "../up", "dir/")) {
            PermanentObjectStoreException error = failure(store.put(path, bytes("x")), PermanentObjectStoreException.class);
            assertEquals(path, error.path());
        }
        failure(store.list("/abs", null, 10), PermanentObjectStoreException.class);
        failure(store.list("", null, 0), PermanentObjectStoreException.class);
    }

    @Test
    void aClosedStoreFailsEveryCallPermanently() {
        S3ObjectStore closing = new S3ObjectStore(server.config(server.freshPrefix()));
        closing.close();
        closing.close();

        failure(closing.put("x", bytes("x")), PermanentObjectStoreException.class);
        failure(closing.get("x"), PermanentObjectStoreException.class);
        failure(closing.list("", null, 1), PermanentObjectStoreException.class);
    }

    // --- construction ---

    @Test
    void fromUriOpensAWorkingStore() {
        String prefix = server.freshPrefix();
        try (S3ObjectStore viaUrl = S3ObjectStore.fromUri(server.s3Url(prefix + "/db"));
             S3ObjectStore direct = server.openStore(prefix)) {
            await(viaUrl.put("k", bytes("v")));

            assertArrayEquals(bytes("v"), await(direct.get("db/k")).data());
            assertEquals("s3://" + server.bucket() + "/" + prefix + "/db at " + server.endpoint(), viaUrl.describe());
        }
    }

    @Test
    void aStoreOnABorrowedClientLeavesItOpen() {
        String prefix = server.freshPrefix();
        S3ObjectStore.Config config = server.config(prefix);
        S3ObjectStore borrowed = new S3ObjectStore(config, server.client());
        await(borrowed.put("k", bytes("v")));
        borrowed.close();

        try (S3ObjectStore second = new S3ObjectStore(config, server.client())) {
            assertArrayEquals(bytes("v"), await(second.get("k")).data());
        }
    }

    /**
     * S3Proxy refuses some puts (a failed If-Match, bad credentials) before it reads the request body,
     * and Jetty then closes the connection with the body unread. The kernel may reset it before the
     * client has read the answer, which the client reports as a broken connection: a transient error,
     * as it must be. Puts that expect such an answer therefore go through a few quick retries, so these
     * tests see S3Proxy's answer; the mapping of each answer on its own is covered by
     * {@link S3ErrorMappingTest}, whose server reads every body first.
     */
    private RetryingObjectStore retryingEarlyAnswers() {
        return retryingEarlyAnswers(store);
    }

    private RetryingObjectStore retryingEarlyAnswers(S3ObjectStore target) {
        RetryingObjectStore retrying = new RetryingObjectStore(target, RetryPolicy.DEFAULT
                .withBackoff(Duration.ofMillis(1), Duration.ofMillis(10)).withMaxAttempts(20));
        wrappers.add(retrying);
        return retrying;
    }

    private static List<String> paths(ListPage page) {
        return page.objects().stream().map(ObjectMetadata::path).toList();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
