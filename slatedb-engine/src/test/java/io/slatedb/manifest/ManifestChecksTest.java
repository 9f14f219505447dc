package io.slatedb.manifest;

import io.slatedb.CorruptObjectException;
import io.slatedb.ErrorKind;
import io.slatedb.CompressionCodec;
import io.slatedb.format.Ulid;
import io.slatedb.sst.FilterFormat;
import io.slatedb.sst.SstInfo;
import io.slatedb.sst.SstType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each consistency rule of {@link ManifestChecks}, and that a load through {@link ManifestStore#CODEC} applies them. */
@Timeout(30)
class ManifestChecksTest {
    private static final String PATH = "db/manifest/00000000000000000009.manifest";

    @Test
    void aConsistentManifestPasses() {
        Manifest manifest = withTree(new LsmTree(null, null, List.of(view(1, "a", "f")),
                List.of(new SortedRun(2, List.of(view(2, "a", "c"), view(3, "d", "k"))),
                        new SortedRun(1, List.of(view(4, "b", "z"))))));
        assertDoesNotThrow(() -> ManifestChecks.check(PATH, manifest));
        assertDoesNotThrow(() -> ManifestChecks.check(PATH, Manifest.initial(ManifestCore.initial())));
    }

    @Test
    void anUninitializedManifestMustBeAClone() {
        Manifest notAClone = Manifest.initial(ManifestCore.initial().toBuilder().initialized(false).build());
        assertInconsistent(notAClone, "not initialized");
        Manifest clone = notAClone.withExternalDbs(List.of(new ExternalDb("src", UUID.randomUUID(), null, List.of())));
        assertDoesNotThrow(() -> ManifestChecks.check(PATH, clone));
    }

    @Test
    void walSstsFlushedToL0CannotReachPastTheNextWalSst() {
        ManifestCore core = ManifestCore.initial().toBuilder().nextWalSstId(7).replayAfterWalId(7).build();
        assertInconsistent(Manifest.initial(core), "WAL SSTs up to 7");
        ManifestCore huge = ManifestCore.initial().toBuilder().nextWalSstId(7).replayAfterWalId(-2).build();
        assertInconsistent(Manifest.initial(huge), "WAL SSTs up to");
        assertDoesNotThrow(() -> ManifestChecks.check(PATH,
                Manifest.initial(ManifestCore.initial().toBuilder().nextWalSstId(7).replayAfterWalId(6).build())));
    }

    @Test
    void aCheckpointCannotReferToALaterManifest() {
        Checkpoint later = new Checkpoint(UUID.randomUUID(), 10, 0, 0, null, OptionalLong.empty());
        assertInconsistent(Manifest.initial(ManifestCore.initial().toBuilder().checkpoints(List.of(later)).build()),
                "refers to manifest 10");
    }

    @Test
    void sortedRunsAreNeverEmpty() {
        assertInconsistent(withTree(new LsmTree(null, null, List.of(), List.of(new SortedRun(1, List.of())))),
                "sorted run 1 has no SSTs");
    }

    @Test
    void sortedRunsAreListedByDescendingId() {
        assertInconsistent(withTree(new LsmTree(null, null, List.of(), List.of(
                new SortedRun(1, List.of(view(1, "a", "b"))), new SortedRun(2, List.of(view(2, "a", "b")))))),
                "descending id");
    }

    @Test
    void sstsOfARunDoNotOverlapAndEachRecordIsAWellFormedCompactedSst() {
        assertInconsistent(withTree(new LsmTree(null, null, List.of(), List.of(
                new SortedRun(1, List.of(view(1, "a", "e"), view(2, "e", "k")))))), "does not start after");
        assertInconsistent(withTree(new LsmTree(null, null, List.of(view(1, "k", "a")), List.of())),
                "first key after its last key");
        assertInconsistent(withTree(new LsmTree(null, null, List.of(withInfo(1, info(null, "b", SstType.COMPACTED, 10))),
                List.of())), "no first key");
        assertInconsistent(withTree(new LsmTree(null, null, List.of(withInfo(1, info("a", "b", SstType.WAL, 10))),
                List.of())), "WAL SST");
        assertInconsistent(withTree(new LsmTree(null, null, List.of(withInfo(1, info("a", "b", SstType.COMPACTED, 0))),
                List.of())), "block offsets");
    }

    @Test
    void loadsThroughTheManifestStoreCodecAreChecked() {
        byte[] bytes = ManifestCodec.encode(Manifest.initial(ManifestCore.initial().toBuilder().initialized(false)
                .build()));
        CorruptObjectException e = assertThrows(CorruptObjectException.class,
                () -> ManifestStore.CODEC.decode(PATH, bytes));
        assertEquals(ErrorKind.DATA, e.kind());
        assertEquals(PATH, e.objectPath());
    }

    private static void assertInconsistent(Manifest manifest, String problem) {
        CorruptObjectException e = assertThrows(CorruptObjectException.class, () -> ManifestChecks.check(PATH, manifest));
        assertEquals(ErrorKind.DATA, e.kind());
        assertEquals(PATH, e.objectPath());
        assertTrue(e.getMessage().contains(PATH) && e.getMessage().contains(problem), e.getMessage());
    }

    private static Manifest withTree(LsmTree tree) {
        return Manifest.initial(ManifestCore.initial().toBuilder().tree(tree).build());
    }

    private static SstView view(int id, String first, String last) {
        return withInfo(id, info(first, last, SstType.COMPACTED, 10));
    }

    private static SstView withInfo(int id, SstInfo info) {
        return SstView.of(new CompactedSst(Ulid.of(1_000 + id, 0, id), info, 2));
    }

    private static SstInfo info(String first, String last, SstType type, long indexLength) {
        return new SstInfo(first == null ? null : first.getBytes(StandardCharsets.UTF_8), 100, indexLength, 100, 0,
                CompressionCodec.NONE, type, last == null ? null : last.getBytes(StandardCharsets.UTF_8), 110, 20,
                FilterFormat.LEGACY);
    }
}
