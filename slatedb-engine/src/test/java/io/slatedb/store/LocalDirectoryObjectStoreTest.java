package io.slatedb.store;

import io.slatedb.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The conformance suite on {@link LocalDirectoryObjectStore}, plus what only the local store promises. */
class LocalDirectoryObjectStoreTest extends ObjectStoreConformanceTest {

    @TempDir
    Path temp;

    private Path root() {
        return temp.resolve("store");
    }

    @Override
    protected ObjectStore newStore() {
        return new LocalDirectoryObjectStore(root(), 4);
    }

    @Override
    protected boolean nonAsciiPathsSupported() {
        // File names are encoded with sun.jnu.encoding, which follows the locale (not UTF-8 under LANG=C).
        return "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"));
    }

    private LocalDirectoryObjectStore local() {
        return (LocalDirectoryObjectStore) store;
    }

    // ------------------------------------------------------------------ interoperability

    @Test
    void objectsArePlainFilesHoldingExactlyTheirBytes() throws Exception {
        byte[] manifest = randomBytes(4099, 1);
        await(store.put("db/manifest/00000000000000000001.manifest", manifest, PutOptions.CREATE));
        await(store.put("db/wal/00000000000000000001.sst", new byte[0]));

        Path realRoot = root().toRealPath();
        assertEquals(realRoot, local().root());
        assertArrayEquals(manifest, Files.readAllBytes(realRoot.resolve("db/manifest/00000000000000000001.manifest")));
        assertEquals(0, Files.size(realRoot.resolve("db/wal/00000000000000000001.sst")));
    }

    @Test
    void filesWrittenByOtherProgramsAreObjects() throws Exception {
        Path wal = root().resolve("db/wal");
        Files.createDirectories(wal);
        Files.write(wal.resolve("00000000000000000001.sst"), bytes("written by Rust"));
        // A staging file of the Rust object_store local store, mid-put: not an object yet.
        Files.write(wal.resolve("00000000000000000002.sst#1"), bytes("partial"));
        Files.write(wal.resolve("notes#draft"), bytes("not a staging name"));

        assertArrayEquals(bytes("written by Rust"), await(store.get("db/wal/00000000000000000001.sst")).data());
        ObjectMetadata head = await(store.head("db/wal/00000000000000000001.sst"));
        assertEquals(15, head.size());
        assertEquals(Map.of(), head.userMetadata());
        assertEquals(List.of("db/wal/00000000000000000001.sst", "db/wal/notes#draft"),
                paths(await(store.list("db/", null, 10))));
    }

    @Test
    void namesOfRustStagingFilesAreReserved() {
        PermanentObjectStoreException e = awaitFailure(PermanentObjectStoreException.class, store.put("db/wal/1.sst#12", bytes("x")));
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());
        awaitFailure(PermanentObjectStoreException.class, store.get("a#0"));
    }

    // ------------------------------------------------------------------ the staging area

    @Test
    void theStagingAreaIsHiddenFromListingsAndClosedToObjects() throws Exception {
        await(store.put(".deleting", bytes("marker at the root")));
        await(store.put("db/.deleting", bytes("marker")));
        await(store.put("db/.slatedb-tmp/x", bytes("only the root-level name is reserved")));

        assertEquals(List.of(".deleting", "db/.deleting", "db/.slatedb-tmp/x"), paths(await(store.listAll(""))));
        assertEquals(List.of(".deleting"), paths(await(store.listAll("."))));
        assertEquals(List.of(), paths(await(store.listAll(".slatedb-tmp/"))));
        for (String reserved : List.of(".slatedb-tmp", ".slatedb-tmp/locks/00.lock", ".slatedb-tmp/x")) {
            PermanentObjectStoreException e = awaitFailure(PermanentObjectStoreException.class,
                    store.put(reserved, bytes("x")), reserved);
            assertTrue(e.getMessage().contains("reserved"), e.getMessage());
            awaitFailure(PermanentObjectStoreException.class, store.get(reserved), reserved);
            awaitFailure(PermanentObjectStoreException.class, store.delete(reserved), reserved);
        }
    }

    @Test
    void stagedFilesAreRemovedAfterSuccessfulAndFailedWrites() throws Exception {
        String etag = await(store.put("a", bytes("1"))).etag();
        await(store.put("a", bytes("2"), PutOptions.of(PutMode.ifMatch(etag))));
        await(store.put("b/c", bytes("3"), PutOptions.CREATE.withMetadata("k", "v")));
        await(store.copy("a", "d"));
        awaitFailure(ObjectAlreadyExistsException.class, store.put("a", bytes("x"), PutOptions.CREATE));
        awaitFailure(PreconditionFailedException.class, store.put("a", bytes("x"), PutOptions.of(PutMode.ifMatch(etag))));
        awaitFailure(ObjectNotFoundException.class, store.put("missing", bytes("x"), PutOptions.of(PutMode.ifMatch(etag))));
        awaitFailure(PermanentObjectStoreException.class, store.put("b", bytes("x")));
        awaitFailure(PermanentObjectStoreException.class, store.put("b", bytes("x"), PutOptions.CREATE));
        awaitFailure(PermanentObjectStoreException.class, store.copy("a", "b"));

        assertEquals(List.of("locks"), namesIn(root().resolve(".slatedb-tmp")));
    }

    @Test
    void stagedFilesLeftByACrashAreDeletedWhenAStoreOpens() throws Exception {
        Path staging = Files.createDirectories(root().resolve(".slatedb-tmp"));
        Path stale = Files.write(staging.resolve("put-crashed.tmp"), bytes("left behind"));
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path inFlight = Files.write(staging.resolve("put-in-flight.tmp"), bytes("another process is writing"));

        new LocalDirectoryObjectStore(root(), 1).close();

        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(inFlight), "a recent staged file may belong to a put under way");
    }

    // ------------------------------------------------------------------ confinement

    @Test
    void pathsCannotEscapeTheRootLexically(@TempDir Path outside) throws Exception {
        Path escapee = root().resolve("../escaped");
        for (String path : List.of("../escaped", "a/../../escaped", "/" + escapee, escapee.toString().substring(1) + "/../x")) {
            awaitFailure(PermanentObjectStoreException.class, store.put(path, bytes("x")), path);
        }
        assertFalse(Files.exists(escapee));
        assertEquals(List.of(), namesIn(outside));
    }

    @Test
    void symbolicLinksCannotLeadOutsideTheRoot(@TempDir Path outside) throws Exception {
        Files.write(outside.resolve("secret"), bytes("not for the store"));
        Files.createDirectories(root());
        Files.createSymbolicLink(root().resolve("link"), outside);
        Files.createSymbolicLink(root().resolve("file-link"), outside.resolve("secret"));

        for (CompletableFuture<?> attempt : List.of(
                store.put("link/x", bytes("x")),
                store.put("link/sub/x", bytes("x"), PutOptions.CREATE),
                store.put("link/secret", bytes("x"), PutOptions.of(PutMode.ifMatch("any"))),
                store.get("link/secret"),
                store.get("link/secret", ByteRange.of(0, 3)),
                store.head("link/secret"),
                store.get("file-link"),
                store.head("file-link"),
                store.delete("link/secret"),
                store.copy("link/secret", "stolen"),
                store.copy("file-link", "stolen"),
                store.list("link/", null, 10),
                store.list("link/s", null, 10))) {
            PermanentObjectStoreException e = awaitFailure(PermanentObjectStoreException.class, attempt);
            assertTrue(e.getMessage().contains("outside"), e.getMessage());
        }

        assertEquals(List.of("secret"), namesIn(outside), "nothing was written, deleted or created outside");
        assertArrayEquals(bytes("not for the store"), Files.readAllBytes(outside.resolve("secret")));
        assertEquals(List.of(), paths(await(store.listAll(""))), "links leading outside are not listed");
        awaitFailure(ObjectNotFoundException.class, store.head("stolen"));
    }

    @Test
    void symbolicLinksInsideTheRootWork() throws Exception {
        await(store.put("data/file", bytes("inside")));
        Files.createSymbolicLink(root().resolve("alias"), root().resolve("data/file"));

        assertArrayEquals(bytes("inside"), await(store.get("alias")).data());
        assertEquals(List.of("alias", "data/file"), paths(await(store.listAll(""))));
        await(store.delete("alias"));
        assertFalse(Files.exists(root().resolve("alias"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertArrayEquals(bytes("inside"), await(store.get("data/file")).data(), "deleting a link keeps its target");
    }

    // ------------------------------------------------------------------ layout

    @Test
    void anObjectAndADirectoryCannotShareAName() throws Exception {
        await(store.put("a", bytes("object")));
        PermanentObjectStoreException below = awaitFailure(PermanentObjectStoreException.class, store.put("a/b", bytes("x")));
        assertTrue(below.getMessage().contains("\"a\" is an object"), below.getMessage());

        await(store.put("d/e", bytes("below d")));
        awaitFailure(PermanentObjectStoreException.class, store.put("d", bytes("x")));
        awaitFailure(PermanentObjectStoreException.class, store.put("d", bytes("x"), PutOptions.CREATE));
        awaitFailure(ObjectNotFoundException.class, store.put("d", bytes("x"), PutOptions.of(PutMode.ifMatch("x"))));
        awaitFailure(ObjectNotFoundException.class, store.get("d"));
        awaitFailure(ObjectNotFoundException.class, store.head("d"));
        awaitFailure(ObjectNotFoundException.class, store.get("a/b"));
        await(store.delete("d"));
        assertArrayEquals(bytes("below d"), await(store.get("d/e")).data(), "deleting a directory's name deletes nothing");
    }

    @Test
    void emptyDirectoriesLeftByDeletesAreNotListed() throws Exception {
        await(store.put("x/y/z", bytes("z")));
        await(store.delete("x/y/z"));

        assertEquals(List.of(), paths(await(store.listAll(""))));
        assertEquals(List.of(), paths(await(store.listAll("x/"))));
        await(store.put("x/y/z", bytes("again")));
        assertEquals(List.of("x/y/z"), paths(await(store.listAll("x/"))));
    }

    // ------------------------------------------------------------------ ETags and metadata

    @Test
    void rewritingTheSameBytesChangesTheEtagAndHeadsAgree() throws Exception {
        String first = await(store.put("same", bytes("unchanged"))).etag();
        String second = await(store.put("same", bytes("unchanged"))).etag();
        assertNotEquals(first, second);
        assertEquals(second, await(store.head("same")).etag());
        assertEquals(second, await(store.head("same")).etag(), "an ETag is stable while nothing writes");

        List<String> etags = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            etags.add(await(store.put("same", bytes("unchanged"))).etag());
        }
        assertEquals(50, etags.stream().distinct().count(), "every write gets its own ETag: " + etags);
    }

    @Test
    void userMetadataLivesInExtendedAttributes() throws Exception {
        assumeTrue(Files.getFileStore(temp).supportsFileAttributeView(UserDefinedFileAttributeView.class),
                "the file system of the temporary directory has no user extended attributes");
        await(store.put("meta", bytes("x"), PutOptions.OVERWRITE.withMetadata("slatedbputid", "01ABC")));

        UserDefinedFileAttributeView view = Files.getFileAttributeView(root().resolve("meta"), UserDefinedFileAttributeView.class);
        assertEquals(Set.of("slatedb.slatedbputid", "slatedb-crc32c"), Set.copyOf(view.list()));
        ByteBuffer value = ByteBuffer.allocate(view.size("slatedb.slatedbputid"));
        view.read("slatedb.slatedbputid", value);
        assertEquals("01ABC", new String(value.array(), StandardCharsets.UTF_8));
        assertEquals(Map.of("slatedbputid", "01ABC"), await(store.head("meta")).userMetadata(),
                "the checksum is not user metadata");
    }

    @Test
    void aFileChangedOnDiskFailsWholeGetsWithATypedDataErrorNamingTheObject() throws Exception {
        assumeTrue(Files.getFileStore(temp).supportsFileAttributeView(UserDefinedFileAttributeView.class),
                "the file system of the temporary directory has no user extended attributes");
        await(store.put("dir/obj", bytes("0123456789")));
        assertEquals("0123456789", new String(await(store.get("dir/obj")).data(), StandardCharsets.UTF_8));
        flipFirstBit(root().resolve("dir/obj"));

        for (ByteRange whole : new ByteRange[] {null, ByteRange.from(0), ByteRange.suffix(10), ByteRange.of(0, 10)}) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> (whole == null ? store.get("dir/obj") : store.get("dir/obj", whole)).get());
            ObjectChecksumException error = assertInstanceOf(ObjectChecksumException.class, e.getCause());
            assertEquals(ErrorKind.DATA, error.kind());
            assertFalse(error.retryable());
            assertEquals("dir/obj", error.path());
            assertTrue(error.getMessage().contains("corrupt object dir/obj"), error.getMessage());
        }
        // A part of the object cannot be checked against a whole-object checksum: it is returned as stored.
        assertEquals("12345", new String(await(store.get("dir/obj", ByteRange.of(1, 5))).data(), StandardCharsets.UTF_8));
    }

    @Test
    void objectsWithoutARecordedChecksumAreReadAsBefore() throws Exception {
        assumeTrue(Files.getFileStore(temp).supportsFileAttributeView(UserDefinedFileAttributeView.class),
                "the file system of the temporary directory has no user extended attributes");
        await(store.put("plain", bytes("abc")));
        Path file = root().resolve("plain");
        Files.getFileAttributeView(file, UserDefinedFileAttributeView.class).delete("slatedb-crc32c");
        flipFirstBit(file);
        assertEquals(3, await(store.get("plain")).data().length);
    }

    private static void flipFirstBit(Path file) throws IOException {
        // Written in place (not replaced), as a disk error would, so the extended attributes stay.
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, 0);
            one.put(0, (byte) (one.get(0) ^ 1));
            one.rewind();
            channel.write(one, 0);
        }
    }

    @Test
    void withoutExtendedAttributesDataIsKeptAndMetadataDropped() throws Exception {
        try (LocalDirectoryObjectStore plain = new LocalDirectoryObjectStore(temp.resolve("no-xattrs"), 2, false)) {
            PutResult put = await(plain.put("meta", bytes("data"), PutOptions.CREATE.withMetadata("owner", "w")));
            ObjectMetadata head = await(plain.head("meta"));
            assertEquals(Map.of(), head.userMetadata());
            assertEquals(put.etag(), head.etag());
            assertArrayEquals(bytes("data"), await(plain.get("meta")).data());
        }
    }

    // ------------------------------------------------------------------ concurrency

    @Test
    void ifMatchIsAtomicAcrossStoresOfTheSameRoot() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(CONTENDERS);
        try (LocalDirectoryObjectStore second = new LocalDirectoryObjectStore(root(), 4)) {
            String etag = await(store.put("shared", bytes("initial"))).etag();
            for (int round = 0; round < RACE_ROUNDS; round++) {
                int r = round;
                String expected = etag;
                List<Outcome> outcomes = race(threads, i -> (i % 2 == 0 ? store : second)
                        .put("shared", payload(r, i), PutOptions.of(PutMode.ifMatch(expected))));
                etag = onlyWinner(outcomes, PreconditionFailedException.class, "round " + round).result().etag();
            }
        } finally {
            stop(threads);
        }
    }

    @Test
    void ifMatchIsAtomicAcrossProcesses() throws Exception {
        int increments = 60;
        await(store.put("counter", bytes("0")));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LocalStoreCounter.class.getName(),
                root().toString(), "counter", Integer.toString(increments))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader childOut = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String ready = CompletableFuture.supplyAsync(() -> readLine(childOut)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals("ready", ready);
            try (OutputStream toChild = child.getOutputStream()) {
                toChild.write("go\n".getBytes(StandardCharsets.UTF_8));
            }
            LocalStoreCounter.increment(store, "counter", increments);

            assertTrue(child.waitFor(2 * WAIT_SECONDS, TimeUnit.SECONDS), "the child process finished");
            assertEquals(0, child.exitValue(), "the child process succeeded");
            String report = CompletableFuture.supplyAsync(() -> readLine(childOut)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(report.startsWith("conflicts "), report);
        } finally {
            child.destroyForcibly();
        }
        assertEquals(Integer.toString(2 * increments), new String(await(store.get("counter")).data(), StandardCharsets.UTF_8),
                "no increment was lost");
    }

    @Test
    void closeFinishesOperationsUnderWayAndRejectsNewOnes() throws Exception {
        List<CompletableFuture<PutResult>> puts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            puts.add(store.put("close/" + i, randomBytes(64 * 1024, i)));
        }
        store.close();
        for (CompletableFuture<PutResult> put : puts) {
            await(put, "a put started before close");
        }
        awaitFailure(PermanentObjectStoreException.class, store.put("close/late", bytes("x")));
        awaitFailure(PermanentObjectStoreException.class, store.get("close/0"));
        try (LocalDirectoryObjectStore reopened = new LocalDirectoryObjectStore(root(), 1)) {
            assertEquals(20, await(reopened.listAll("close/")).size());
        }
    }

    @Test
    void futuresCompleteOffTheIoThreads() throws Exception {
        String thread = await(store.put("t", bytes("x")).thenApply(unused -> Thread.currentThread().getName()));
        assertFalse(thread.startsWith("slatedb-local-store-io"), thread);
    }

    // ------------------------------------------------------------------ construction

    @Test
    void theRootMustBeAbsoluteAndIsCreatedAtTheFirstWrite() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new LocalDirectoryObjectStore(Path.of("relative/dir")));
        Path deep = temp.resolve("a/b/c");
        try (LocalDirectoryObjectStore created = new LocalDirectoryObjectStore(deep)) {
            assertEquals("file://" + deep, created.describe());
            assertFalse(Files.exists(temp.resolve("a")), "opening creates nothing");
            await(created.put("db/x", bytes("x")));
            assertTrue(Files.isDirectory(deep));
            assertArrayEquals(bytes("x"), Files.readAllBytes(deep.resolve("db/x")));
        }
    }

    @Test
    void readingAMissingRootFindsNothingAndCreatesNothing() throws Exception {
        Path missing = temp.resolve("missing/store");
        try (LocalDirectoryObjectStore reading = new LocalDirectoryObjectStore(missing, 1)) {
            awaitFailure(ObjectNotFoundException.class, reading.get("db/manifest/00000000000000000001.manifest"));
            awaitFailure(ObjectNotFoundException.class, reading.head("db/x"));
            assertEquals(List.of(), await(reading.listAll("")));
            assertEquals(List.of(), await(reading.listAll("db/manifest/")));
            await(reading.delete("db/x"));
        }
        assertFalse(Files.exists(temp.resolve("missing")), "no directory or file is left behind");
    }

    @Test
    void theStagingAreaAndLocksAppearAtTheFirstWrite() throws Exception {
        Files.createDirectories(root());
        Path staging = root().resolve(".slatedb-tmp");
        await(store.get("x").handle((unused, failure) -> null));
        assertFalse(Files.exists(staging), "reads create no staging area");
        await(store.put("x", bytes("1"), PutOptions.OVERWRITE));
        assertTrue(Files.isDirectory(staging.resolve("locks")));
    }

    @Test
    void aFileWhereTheRootShouldBeIsAPermanentFailure() throws IOException {
        Path file = Files.write(temp.resolve("plain-file"), bytes("x"));
        assertThrows(PermanentObjectStoreException.class, () -> new LocalDirectoryObjectStore(file.resolve("sub")));
    }

    // ------------------------------------------------------------------ helpers

    private static List<String> namesIn(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
