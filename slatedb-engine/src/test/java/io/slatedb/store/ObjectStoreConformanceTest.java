package io.slatedb.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The behaviour every {@link ObjectStore} must have, as a JUnit 5 suite to subclass: implement
 * {@link #newStore()} (a fresh, empty store for each test; the suite closes it afterwards) and, where
 * the store cannot make if-match puts atomic (S3Proxy emulates If-Match with a read then a write),
 * override {@link #atomicIfMatch()} to skip the if-match race.
 *
 * <p>The suite is kept fast enough to run against a real S3 server. Every wait is bounded.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ObjectStoreConformanceTest {

    /** The longest any single operation may take before the test fails. */
    protected static final long WAIT_SECONDS = 30;

    /** How many puts each race starts at once. */
    protected static final int CONTENDERS = 8;
    /** How many races the race tests run. */
    protected static final int RACE_ROUNDS = 20;

    /** The store under test, fresh for each test. */
    protected ObjectStore store;

    /** A fresh, empty store. */
    protected abstract ObjectStore newStore() throws Exception;

    /** Whether concurrent if-match puts on one ETag have exactly one winner. */
    protected boolean atomicIfMatch() {
        return true;
    }

    /**
     * Whether listings order characters outside the Basic Multilingual Plane by their UTF-8 bytes, as
     * AWS S3 does. S3Proxy orders by UTF-16 code units instead, which puts U+1F600 before U+FF21.
     * SlateDB's own object names are ASCII, so this only narrows the test, not the engine.
     */
    protected boolean utf8OrderBeyondBasicPlane() {
        return true;
    }

    /** Whether the store can hold paths with non-ASCII characters here. */
    protected boolean nonAsciiPathsSupported() {
        return true;
    }

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    // ------------------------------------------------------------------ put, get, head

    @Test
    void putThenGetAndHeadRoundTripEmptySmallAndLargeObjects() throws Exception {
        for (int size : new int[] {0, 1, 5 * 1024 * 1024 + 3}) {
            String path = "objects/size-" + size;
            byte[] data = randomBytes(size, size);
            PutResult put = await(store.put(path, data));
            assertNotNull(put.etag(), "put returns an ETag");

            GetResult got = await(store.get(path));
            assertArrayEquals(data, got.data(), "bytes of a " + size + "-byte object");
            assertEquals(path, got.metadata().path());
            assertEquals(size, got.metadata().size());
            assertEquals(put.etag(), got.metadata().etag());
            assertNotNull(got.metadata().lastModified());

            ObjectMetadata head = await(store.head(path));
            assertEquals(path, head.path());
            assertEquals(size, head.size());
            assertEquals(put.etag(), head.etag());
            assertEquals(got.metadata().lastModified(), head.lastModified());
        }
    }

    @Test
    void putOverwritesAndChangesTheEtag() throws Exception {
        PutResult first = await(store.put("doc", bytes("first version")));
        PutResult second = await(store.put("doc", bytes("second, longer version")));

        assertNotEquals(first.etag(), second.etag());
        GetResult got = await(store.get("doc"));
        assertArrayEquals(bytes("second, longer version"), got.data());
        assertEquals(second.etag(), got.metadata().etag());
        assertEquals(second.etag(), await(store.head("doc")).etag());
    }

    @Test
    void userMetadataIsReturnedByHeadAndGetButNotByList() throws Exception {
        PutOptions options = PutOptions.OVERWRITE.withMetadata("slatedbputid", "01JD9Q6Z3V8M2X4N5P6R7S8T9W")
                .withMetadata("owner", "writer-1");
        await(store.put("meta/object", bytes("payload"), options));

        Map<String, String> expected = Map.of("slatedbputid", "01JD9Q6Z3V8M2X4N5P6R7S8T9W", "owner", "writer-1");
        assertEquals(expected, await(store.head("meta/object")).userMetadata());
        assertEquals(expected, await(store.get("meta/object")).metadata().userMetadata());
        assertEquals(expected, await(store.get("meta/object", ByteRange.of(1, 2))).metadata().userMetadata());
        assertEquals(Map.of(), await(store.list("meta/", null, 10)).objects().get(0).userMetadata());

        await(store.put("meta/object", bytes("replaced")));
        assertEquals(Map.of(), await(store.head("meta/object")).userMetadata(), "a new version has only its own metadata");
    }

    @Test
    void createIfAbsentCreatesAMissingObject() throws Exception {
        PutResult created = await(store.put("cas/manifest/00000000000000000001.manifest", bytes("v1"), PutOptions.CREATE));

        GetResult got = await(store.get("cas/manifest/00000000000000000001.manifest"));
        assertArrayEquals(bytes("v1"), got.data());
        assertEquals(created.etag(), got.metadata().etag());
    }

    @Test
    void createIfAbsentFailsWhenTheObjectExistsAndLeavesItUnchanged() throws Exception {
        PutResult original = await(store.put("cas/object", bytes("original")));

        ObjectAlreadyExistsException e = awaitFailure(ObjectAlreadyExistsException.class,
                store.put("cas/object", bytes("intruder"), PutOptions.CREATE));
        assertInstanceOf(PreconditionFailedException.class, e);
        assertEquals("cas/object", e.path());
        assertFalse(e.retryable());

        GetResult got = await(store.get("cas/object"));
        assertArrayEquals(bytes("original"), got.data());
        assertEquals(original.etag(), got.metadata().etag());
    }

    @Test
    void ifMatchReplacesTheObjectWhenTheEtagMatches() throws Exception {
        PutResult first = await(store.put("boundary", bytes("1")));
        PutResult second = await(store.put("boundary", bytes("2"), PutOptions.of(PutMode.ifMatch(first.etag()))));

        assertNotEquals(first.etag(), second.etag());
        GetResult got = await(store.get("boundary"));
        assertArrayEquals(bytes("2"), got.data());
        assertEquals(second.etag(), got.metadata().etag());
    }

    @Test
    void ifMatchWithAStaleEtagFailsAndLeavesTheObjectUnchanged() throws Exception {
        PutResult stale = await(store.put("boundary", bytes("1")));
        PutResult current = await(store.put("boundary", bytes("22")));

        PreconditionFailedException e = awaitFailure(PreconditionFailedException.class,
                store.put("boundary", bytes("333"), PutOptions.of(PutMode.ifMatch(stale.etag()))));
        assertFalse(e instanceof ObjectAlreadyExistsException, "an if-match conflict is not a create conflict: " + e);
        assertEquals("boundary", e.path());

        GetResult got = await(store.get("boundary"));
        assertArrayEquals(bytes("22"), got.data());
        assertEquals(current.etag(), got.metadata().etag());
    }

    @Test
    void ifMatchOnAMissingObjectFailsWithNotFound() throws Exception {
        PutResult elsewhere = await(store.put("other", bytes("x")));

        ObjectNotFoundException e = awaitFailure(ObjectNotFoundException.class,
                store.put("missing", bytes("y"), PutOptions.of(PutMode.ifMatch(elsewhere.etag()))));
        assertEquals("missing", e.path());
        awaitFailure(ObjectNotFoundException.class, store.head("missing"));
    }

    @Test
    void getAndHeadOfAMissingObjectFailWithNotFound() {
        ObjectNotFoundException onGet = awaitFailure(ObjectNotFoundException.class, store.get("no/such/object"));
        assertEquals("no/such/object", onGet.path());
        assertFalse(onGet.retryable());
        awaitFailure(ObjectNotFoundException.class, store.get("no/such/object", ByteRange.of(0, 1)));
        ObjectNotFoundException onHead = awaitFailure(ObjectNotFoundException.class, store.head("no/such/object"));
        assertEquals("no/such/object", onHead.path());
    }

    @Test
    void byteArraysAreCopiedOnTheWayInAndOut() throws Exception {
        byte[] data = bytes("original bytes");
        CompletableFuture<PutResult> put = store.put("copied", data);
        Arrays.fill(data, (byte) 'X'); // the caller reuses its buffer right away
        await(put);

        byte[] read = await(store.get("copied")).data();
        assertArrayEquals(bytes("original bytes"), read);
        Arrays.fill(read, (byte) 'Y');
        assertArrayEquals(bytes("original bytes"), await(store.get("copied")).data());
    }

    // ------------------------------------------------------------------ ranges

    @Test
    void rangedGetsReturnTheClippedRangeAndMetadataOfTheWholeObject() throws Exception {
        byte[] data = randomBytes(100, 7);
        PutResult put = await(store.put("ranged", data));

        assertRange(data, 10, 30, ByteRange.of(10, 20));
        assertRange(data, 0, 1, ByteRange.of(0, 1));
        assertRange(data, 90, 100, ByteRange.from(90));
        assertRange(data, 0, 100, ByteRange.from(0));
        assertRange(data, 99, 100, ByteRange.from(99));
        assertRange(data, 70, 100, ByteRange.suffix(30));
        assertRange(data, 0, 100, ByteRange.suffix(100));
        assertRange(data, 0, 100, ByteRange.suffix(1000));
        assertRange(data, 95, 100, ByteRange.of(95, 50));

        GetResult got = await(store.get("ranged", ByteRange.of(10, 20)));
        assertEquals(100, got.metadata().size(), "metadata describes the whole object");
        assertEquals(put.etag(), got.metadata().etag());
    }

    @Test
    void rangeStartingPastTheEndFails() throws Exception {
        await(store.put("ranged", randomBytes(100, 8)));

        for (ByteRange range : List.of(ByteRange.of(100, 1), ByteRange.from(100), ByteRange.of(1000, 5))) {
            PermanentObjectStoreException e = awaitFailure(PermanentObjectStoreException.class, store.get("ranged", range));
            assertEquals("ranged", e.path(), range.toString());
        }
    }

    @Test
    void anyRangeOfAnEmptyObjectReturnsNoBytes() throws Exception {
        await(store.put("empty", new byte[0]));

        for (ByteRange range : List.of(ByteRange.of(0, 10), ByteRange.from(0), ByteRange.from(5), ByteRange.suffix(5))) {
            GetResult got = await(store.get("empty", range));
            assertEquals(0, got.data().length, range.toString());
            assertEquals(0, got.metadata().size());
        }
    }

    // ------------------------------------------------------------------ immutable reads

    /** The store's immediate reads; the test is skipped for a store that offers none. */
    private ImmutableReads immutableReads() {
        assumeTrue(store.immutableReads().isPresent(), "the store offers no immutable reads");
        return store.immutableReads().get();
    }

    @Test
    void immutableReadsReturnWhatRangedGetsReturn() throws Exception {
        ImmutableReads reads = immutableReads();
        byte[] data = randomBytes(100, 9);
        await(store.put("sst/one", data));

        for (long[] range : new long[][] {{0, 100}, {10, 30}, {99, 100}, {0, 1}, {95, 150}}) {
            byte[] expected = await(store.get("sst/one", ByteRange.of(range[0], range[1] - range[0]))).data();
            assertArrayEquals(expected, reads.read("sst/one", range[0], range[1]),
                    "[" + range[0] + ", " + range[1] + ")");
            // Read again: a store that keeps what it opened serves the same bytes.
            assertArrayEquals(expected, reads.read("sst/one", range[0], range[1]));
        }
        await(store.put("sst/empty", new byte[0]));
        assertEquals(0, reads.read("sst/empty", 0, 10).length);
    }

    @Test
    void immutableReadsFailAsGetsDo() throws Exception {
        ImmutableReads reads = immutableReads();
        await(store.put("sst/one", randomBytes(100, 10)));

        assertThrowsStoreError(ObjectNotFoundException.class, () -> reads.read("sst/missing", 0, 10));
        PermanentObjectStoreException pastEnd =
                assertThrowsStoreError(PermanentObjectStoreException.class, () -> reads.read("sst/one", 100, 101));
        assertEquals("sst/one", pastEnd.path());
        assertThrowsStoreError(PermanentObjectStoreException.class, () -> reads.read("../escape", 0, 1));
        assertThrowsStoreError(IllegalArgumentException.class, () -> reads.read("sst/one", 5, 5));
        assertThrowsStoreError(IllegalArgumentException.class, () -> reads.read("sst/one", -1, 5));
    }

    @Test
    void immutableReadsSeeDeletesAndNewObjectsMadeThroughTheStore() throws Exception {
        ImmutableReads reads = immutableReads();
        await(store.put("sst/one", bytes("first")));
        assertArrayEquals(bytes("first"), reads.read("sst/one", 0, 5));

        await(store.delete("sst/one"));
        assertThrowsStoreError(ObjectNotFoundException.class, () -> reads.read("sst/one", 0, 5));

        await(store.put("sst/one", bytes("second")));
        assertArrayEquals(bytes("second"), reads.read("sst/one", 0, 6));
        await(store.copy("sst/one", "sst/two"));
        await(store.put("sst/two", bytes("third")));
        assertArrayEquals(bytes("third"), reads.read("sst/two", 0, 5));
    }

    @Test
    void immutableReadsFailOnceTheStoreIsClosed() throws Exception {
        ImmutableReads reads = immutableReads();
        await(store.put("sst/one", bytes("bytes")));
        assertArrayEquals(bytes("bytes"), reads.read("sst/one", 0, 5));

        store.close();
        assertThrowsStoreError(PermanentObjectStoreException.class, () -> reads.read("sst/one", 0, 5));
    }

    private static <E extends Throwable> E assertThrowsStoreError(Class<E> type, Runnable call) {
        try {
            call.run();
        } catch (Throwable e) {
            return assertInstanceOf(type, e);
        }
        return fail("expected " + type.getSimpleName());
    }

    // ------------------------------------------------------------------ list

    @Test
    void listReturnsObjectsInUtf8ByteOrder() throws Exception {
        List<String> names = new ArrayList<>(List.of("list/a", "list/a b", "list/b-", "list/b.txt", "list/b/c",
                "list/b/d/e", "list/b0", "list/Z", "list/.deleting"));
        if (nonAsciiPathsSupported()) {
            // U+00E9; U+FF21 (UTF-8 EF..) and U+1F600 (UTF-8 F0..), which String order puts the other way round.
            names.addAll(List.of("list/\u00E9t\u00E9", "list/\uD83D\uDE00", "list/b/\uD83D\uDE00/x"));
            if (utf8OrderBeyondBasicPlane()) {
                names.add("list/\uFF21");
            }
        }
        putAll(names);
        await(store.put("lisu", bytes("outside the prefix")));

        List<String> expected = sortedByUtf8(names);
        assertEquals(expected, paths(await(store.list("list/", null, 100))));
        assertEquals(expected, paths(await(store.listAll("list/", 3))));
    }

    @Test
    void listWithADirectoryPrefixReturnsOnlyObjectsBelowIt() throws Exception {
        putAll(List.of("list/b-", "list/b.txt", "list/b/c", "list/b/d/e", "list/b0", "list/bb/x"));

        ListPage page = await(store.list("list/b/", null, 100));
        assertEquals(List.of("list/b/c", "list/b/d/e"), paths(page));
        assertFalse(page.truncated());
    }

    @Test
    void listWithAPartialNamePrefixMatchesEveryPathStartingWithIt() throws Exception {
        putAll(List.of("list/a", "list/b-", "list/b.txt", "list/b/c", "list/b/d/e", "list/b0", "list/bb/x", "list/c"));

        assertEquals(List.of("list/b-", "list/b.txt", "list/b/c", "list/b/d/e", "list/b0", "list/bb/x"),
                paths(await(store.list("list/b", null, 100))));
        assertEquals(List.of("list/b/d/e"), paths(await(store.list("list/b/d", null, 100))));
        assertEquals(List.of("list/a", "list/b-", "list/b.txt", "list/b/c", "list/b/d/e", "list/b0", "list/bb/x", "list/c"),
                paths(await(store.list("li", null, 100))));
    }

    @Test
    void listPagesThroughManyObjectsWithSmallPages() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 57; i++) {
            expected.add(String.format("page/k%03d", i));
        }
        putAll(expected);
        // Neighbours on both sides of the prefix: '-' sorts before '/', '0' after it.
        putAll(List.of("pag", "page-", "page0", "pagf"));

        List<String> seen = new ArrayList<>();
        String startAfter = null;
        int pages = 0;
        while (true) {
            ListPage page = await(store.list("page/", startAfter, 5));
            pages++;
            assertTrue(page.objects().size() <= 5, "page " + pages + " holds at most maxKeys");
            seen.addAll(paths(page));
            if (!page.truncated()) {
                break;
            }
            assertEquals(5, page.objects().size(), "a truncated page is full");
            startAfter = page.objects().get(page.objects().size() - 1).path();
            assertTrue(pages < 100, "listing does not end");
        }
        assertEquals(expected, seen);
        assertEquals(12, pages);
    }

    @Test
    void listStartsStrictlyAfterStartAfter() throws Exception {
        // (A path is never both an object and a "directory" of others: a local directory store cannot.)
        putAll(List.of("s/a", "s/b", "s/bb/x", "s/bb/y", "s/c", "s/d"));

        assertEquals(List.of("s/bb/x", "s/bb/y"), paths(await(store.list("s/", "s/b", 2))));
        assertEquals(List.of("s/c", "s/d"), paths(await(store.list("s/", "s/bz", 10))), "startAfter need not exist");
        assertEquals(List.of("s/bb/y", "s/c"), paths(await(store.list("s/", "s/bb/x", 2))));
        assertEquals(List.of("s/bb/x", "s/bb/y", "s/c"), paths(await(store.list("s/", "s/bb", 3))));
        assertEquals(List.of("s/bb/x"), paths(await(store.list("s/", "s/bb/", 1))));
        assertEquals(List.of("s/a", "s/b", "s/bb/x", "s/bb/y", "s/c", "s/d"), paths(await(store.list("s/", "a", 10))),
                "startAfter before the prefix");
        ListPage after = await(store.list("s/", "s/d", 10));
        assertEquals(List.of(), after.objects());
        assertFalse(after.truncated());
        assertEquals(List.of(), paths(await(store.list("s/", "t", 10))));
    }

    @Test
    void listOfNothingIsAnEmptyPage() throws Exception {
        ListPage emptyStore = await(store.list("", null, 10));
        assertEquals(List.of(), emptyStore.objects());
        assertFalse(emptyStore.truncated());

        await(store.put("something/here", bytes("x")));
        ListPage nothing = await(store.list("nothing/", null, 10));
        assertEquals(List.of(), nothing.objects());
        assertFalse(nothing.truncated());
        assertEquals(List.of(), await(store.listAll("somethinx")));
    }

    @Test
    void listAllFollowsEveryPage() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            names.add("all/" + (char) ('a' + i % 5) + "/" + i);
        }
        putAll(names);
        await(store.put("top", bytes("t")));

        assertEquals(sortedByUtf8(names), paths(await(store.listAll("all/", 4))));
        List<String> everything = new ArrayList<>(names);
        everything.add("top");
        assertEquals(sortedByUtf8(everything), paths(await(store.listAll(""))));
    }

    @Test
    void listedEntriesCarrySizeEtagAndTime() throws Exception {
        await(store.put("entries/one", bytes("1")));
        await(store.put("entries/three", bytes("333")));

        List<ObjectMetadata> listed = await(store.listAll("entries/"));
        assertEquals(2, listed.size());
        for (ObjectMetadata entry : listed) {
            ObjectMetadata head = await(store.head(entry.path()));
            assertEquals(head.size(), entry.size(), entry.path());
            assertEquals(head.etag(), entry.etag(), entry.path());
            assertNotNull(entry.lastModified());
            assertEquals(Map.of(), entry.userMetadata());
        }
    }

    // ------------------------------------------------------------------ delete, copy

    @Test
    void deleteRemovesTheObjectAndDeletingAMissingObjectSucceeds() throws Exception {
        await(store.put("del/a", bytes("a")));
        await(store.put("del/b", bytes("b")));

        await(store.delete("del/a"));
        awaitFailure(ObjectNotFoundException.class, store.head("del/a"));
        awaitFailure(ObjectNotFoundException.class, store.get("del/a"));
        assertEquals(List.of("del/b"), paths(await(store.list("del/", null, 10))));

        await(store.delete("del/a"));
        await(store.delete("never/existed"));

        await(store.put("del/a", bytes("again")), "a deleted path can be created again");
        await(store.put("del/c", bytes("c"), PutOptions.CREATE));
        assertArrayEquals(bytes("again"), await(store.get("del/a")).data());
    }

    @Test
    void copyCopiesTheBytesWithoutTheUserMetadata() throws Exception {
        await(store.put("copy/source", bytes("source bytes"), PutOptions.OVERWRITE.withMetadata("owner", "w")));
        PutResult oldTarget = await(store.put("copy/target", bytes("old target")));

        await(store.copy("copy/source", "copy/target"));
        GetResult target = await(store.get("copy/target"));
        assertArrayEquals(bytes("source bytes"), target.data());
        assertEquals(12, target.metadata().size());
        assertNotEquals(oldTarget.etag(), target.metadata().etag());
        assertEquals(Map.of(), target.metadata().userMetadata());

        await(store.copy("copy/source", "copy/new/deeper/target"));
        assertArrayEquals(bytes("source bytes"), await(store.get("copy/new/deeper/target")).data());
        assertArrayEquals(bytes("source bytes"), await(store.get("copy/source")).data(), "the source stays");
        assertEquals(Map.of("owner", "w"), await(store.head("copy/source")).userMetadata());
    }

    @Test
    void copyOfAMissingObjectFailsWithNotFound() {
        ObjectNotFoundException e = awaitFailure(ObjectNotFoundException.class, store.copy("copy/missing", "copy/target"));
        assertEquals("copy/missing", e.path());
        awaitFailure(ObjectNotFoundException.class, store.head("copy/target"));
    }

    // ------------------------------------------------------------------ paths

    @Test
    void invalidPathsAreRejectedByEveryOperation() throws Exception {
        await(store.put("valid", bytes("v")));
        for (String path : List.of("", "/abs", "a//b", "a/", "a/./b", "a/../b", "..", "a\\b", "a\u0000b")) {
            String what = "path " + StorePaths.quote(path);
            awaitFailure(PermanentObjectStoreException.class, store.put(path, bytes("x")), what);
            awaitFailure(PermanentObjectStoreException.class, store.put(path, bytes("x"), PutOptions.CREATE), what);
            awaitFailure(PermanentObjectStoreException.class, store.get(path), what);
            awaitFailure(PermanentObjectStoreException.class, store.get(path, ByteRange.of(0, 1)), what);
            awaitFailure(PermanentObjectStoreException.class, store.head(path), what);
            awaitFailure(PermanentObjectStoreException.class, store.delete(path), what);
            awaitFailure(PermanentObjectStoreException.class, store.copy("valid", path), what);
            awaitFailure(PermanentObjectStoreException.class, store.copy(path, "valid"), what);
        }
        for (String prefix : List.of("/", "/abs/", "a//", "../", "a/../")) {
            awaitFailure(PermanentObjectStoreException.class, store.list(prefix, null, 10), "prefix " + prefix);
        }
        assertEquals(List.of("valid"), paths(await(store.list("", null, 10))), "nothing was written");
    }

    // ------------------------------------------------------------------ races

    @Test
    void concurrentCreateIfAbsentHasExactlyOneWinner() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(CONTENDERS);
        try {
            for (int round = 0; round < RACE_ROUNDS; round++) {
                String path = "race/create/" + round;
                int r = round;
                List<Outcome> outcomes = race(threads, i -> store.put(path, payload(r, i), PutOptions.CREATE));

                Outcome winner = onlyWinner(outcomes, ObjectAlreadyExistsException.class, "round " + round);
                GetResult stored = await(store.get(path));
                assertArrayEquals(payload(round, winner.contender()), stored.data(), "the winner's bytes are stored");
                assertEquals(winner.result().etag(), stored.metadata().etag());
            }
        } finally {
            stop(threads);
        }
    }

    @Test
    void concurrentIfMatchHasExactlyOneWinner() throws Exception {
        assumeTrue(atomicIfMatch(), "this store does not make if-match puts atomic");
        ExecutorService threads = Executors.newFixedThreadPool(CONTENDERS);
        try {
            String path = "race/if-match";
            String etag = await(store.put(path, bytes("initial"))).etag();
            for (int round = 0; round < RACE_ROUNDS; round++) {
                int r = round;
                String expected = etag;
                List<Outcome> outcomes = race(threads, i -> store.put(path, payload(r, i), PutOptions.of(PutMode.ifMatch(expected))));

                Outcome winner = onlyWinner(outcomes, PreconditionFailedException.class, "round " + round);
                GetResult stored = await(store.get(path));
                assertArrayEquals(payload(round, winner.contender()), stored.data(), "the winner's bytes are stored");
                assertEquals(winner.result().etag(), stored.metadata().etag());
                etag = winner.result().etag();
            }
        } finally {
            stop(threads);
        }
    }

    @Test
    void closeIsIdempotent() {
        store.close();
        store.close();
    }

    // ------------------------------------------------------------------ helpers for subclasses

    /** The value of {@code future}, waiting at most {@link #WAIT_SECONDS}; its failure is rethrown unwrapped. */
    protected static <T> T await(CompletableFuture<T> future) throws Exception {
        return await(future, "operation");
    }

    /** As {@link #await(CompletableFuture)}, naming what is awaited in a timeout. */
    protected static <T> T await(CompletableFuture<T> future, String what) throws Exception {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not complete within " + WAIT_SECONDS + " s", e);
        }
    }

    /**
     * Waits for {@code future} to fail and returns the failure, which must be a {@code type}, either
     * itself or inside the JDK's {@link CompletionException} (nothing else may wrap it).
     */
    protected static <E extends Throwable> E awaitFailure(Class<E> type, CompletableFuture<?> future) {
        return awaitFailure(type, future, "operation");
    }

    /** As {@link #awaitFailure(Class, CompletableFuture)}, naming what is awaited in messages. */
    protected static <E extends Throwable> E awaitFailure(Class<E> type, CompletableFuture<?> future, String what) {
        Throwable failure;
        try {
            failure = future.handle((value, error) -> error).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError(what + ": no outcome within " + WAIT_SECONDS + " s", e);
        }
        if (failure == null) {
            fail(what + ": expected a " + type.getSimpleName() + ", but the operation succeeded");
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (!type.isInstance(cause)) {
            throw new AssertionError(what + ": expected a " + type.getSimpleName() + ", got " + cause, cause);
        }
        return type.cast(cause);
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    protected static byte[] randomBytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    protected static List<String> paths(ListPage page) {
        return paths(page.objects());
    }

    protected static List<String> paths(List<ObjectMetadata> objects) {
        return objects.stream().map(ObjectMetadata::path).collect(Collectors.toList());
    }

    /** Sorted by the unsigned UTF-8 bytes, computed independently of the code under test. */
    protected static List<String> sortedByUtf8(List<String> paths) {
        List<String> sorted = new ArrayList<>(paths);
        sorted.sort(Comparator.comparing((String s) -> s.getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
        return sorted;
    }

    /** Puts a small object (its own path as bytes) at each path. */
    protected void putAll(List<String> paths) throws Exception {
        List<CompletableFuture<PutResult>> puts = new ArrayList<>();
        for (String path : paths) {
            puts.add(store.put(path, bytes(path)));
        }
        for (CompletableFuture<PutResult> put : puts) {
            await(put);
        }
    }

    private void assertRange(byte[] data, int from, int to, ByteRange range) throws Exception {
        GetResult got = await(store.get("ranged", range));
        assertArrayEquals(Arrays.copyOfRange(data, from, to), got.data(), range.toString());
    }

    /** The bytes contender {@code contender} puts in round {@code round} of a race. */
    protected static byte[] payload(int round, int contender) {
        return bytes("round " + round + ", contender " + contender);
    }

    /** What one contender of a race got: a result or a failure. */
    protected record Outcome(int contender, PutResult result, Throwable failure) {
    }

    /** Starts {@link #CONTENDERS} attempts at once (released together by a latch) and collects their outcomes. */
    protected static List<Outcome> race(ExecutorService threads, IntFunction<CompletableFuture<PutResult>> attempt)
            throws Exception {
        CountDownLatch ready = new CountDownLatch(CONTENDERS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Outcome>> running = new ArrayList<>();
        for (int i = 0; i < CONTENDERS; i++) {
            int contender = i;
            running.add(threads.submit(() -> {
                ready.countDown();
                if (!go.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new AssertionError("the race was not started");
                }
                CompletableFuture<PutResult> put = attempt.apply(contender);
                Throwable failure = put.handle((value, error) -> error).get(WAIT_SECONDS, TimeUnit.SECONDS);
                return new Outcome(contender, failure == null ? put.join() : null, failure);
            }));
        }
        assertTrue(ready.await(WAIT_SECONDS, TimeUnit.SECONDS), "contenders ready");
        go.countDown();
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> outcome : running) {
            outcomes.add(outcome.get(2 * WAIT_SECONDS, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    /** Asserts that exactly one contender won and that every other one lost with {@code loss}. */
    protected static Outcome onlyWinner(List<Outcome> outcomes, Class<? extends Throwable> loss, String what) {
        List<Outcome> winners = outcomes.stream().filter(o -> o.failure() == null).collect(Collectors.toList());
        assertEquals(1, winners.size(), what + ": exactly one winner among " + outcomes);
        for (Outcome outcome : outcomes) {
            if (outcome.failure() != null) {
                Throwable cause = outcome.failure() instanceof CompletionException && outcome.failure().getCause() != null
                        ? outcome.failure().getCause() : outcome.failure();
                if (!loss.isInstance(cause)) {
                    throw new AssertionError(what + ": contender " + outcome.contender() + " lost with " + cause
                            + " instead of a " + loss.getSimpleName(), cause);
                }
            }
        }
        return winners.get(0);
    }

    /** Stops the race threads, waiting a bounded time. */
    protected static void stop(ExecutorService threads) throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS), "race threads stopped");
    }
}
