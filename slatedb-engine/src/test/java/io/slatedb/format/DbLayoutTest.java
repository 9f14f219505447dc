package io.slatedb.format;

import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class DbLayoutTest {
    private static final Ulid SST = Ulid.parse("01M80R22FX6JAVBX9ZGHPHK1MD");

    @Test
    void namesEveryObjectUnderTheRoot() {
        DbLayout layout = DbLayout.of("tenants/a/db");
        assertEquals("tenants/a/db/manifest/00000000000000000001.manifest", layout.manifestPath(1));
        assertEquals("tenants/a/db/wal/00000000000000000042.sst", layout.walSstPath(42));
        assertEquals("tenants/a/db/compacted/01M80R22FX6JAVBX9ZGHPHK1MD.sst", layout.compactedSstPath(SST));
        assertEquals("tenants/a/db/compactions/00000000000000000007.compactions", layout.compactionsPath(7));
        assertEquals("tenants/a/db/gc/manifest.boundary", layout.manifestBoundaryPath());
        assertEquals("tenants/a/db/gc/compactions.boundary", layout.compactionsBoundaryPath());
        assertEquals("tenants/a/db/gc/wal.boundary", layout.walBoundaryPath());
        assertEquals("tenants/a/db/.deleting", layout.deletingMarkerPath());
        assertEquals("tenants/a/db/manifest", layout.manifestDir());
        assertEquals("tenants/a/db/wal", layout.walDir());
        assertEquals("tenants/a/db/compacted", layout.compactedDir());
        assertEquals("tenants/a/db/compactions", layout.compactionsDir());
    }

    @Test
    void aDatabasePathIsSegmentsJoinedBySlashesAndIsNeverNormalized() {
        for (String root : List.of("db", "a/b", ".hidden/db", "tenants/a/db")) {
            assertEquals(root, DbLayout.of(root).root());
            assertEquals(root + "/manifest/00000000000000000001.manifest", DbLayout.of(root).manifestPath(1));
        }
        for (String bad : List.of("", "/", "///", "/db", "db/", "//db//", "a//b", "./db", "a/./b", "a/../b", "..",
                "a\\b", "a\u0000b")) {
            SlateDbException e = assertThrows(SlateDbException.class, () -> DbLayout.of(bad), bad);
            assertEquals(ErrorKind.INVALID, e.kind(), bad);
            assertTrue(e.getMessage().startsWith("invalid database path \""), e.getMessage());
            assertTrue(DbLayout.pathProblem(bad).isPresent(), bad);
        }
        assertEquals(ErrorKind.INVALID, assertThrows(SlateDbException.class, () -> DbLayout.of(null)).kind());
        assertNotEquals(DbLayout.of("x"), DbLayout.of("x/y"));
    }

    @Test
    void theObjectDirectoriesCoverTheLayoutAndNothingBeyondIt() {
        DbLayout layout = DbLayout.of("a");
        assertEquals(List.of("a/manifest/", "a/wal/", "a/compacted/", "a/compactions/", "a/gc/"),
                layout.objectDirectoryPrefixes());
        List<String> objects = List.of(layout.manifestPath(1), layout.walSstPath(2),
                layout.compactedSstPath(SST), layout.compactionsPath(1),
                layout.manifestBoundaryPath(), layout.compactionsBoundaryPath());
        for (String object : objects) {
            assertEquals(1, layout.objectDirectoryPrefixes().stream().filter(object::startsWith).count(), object);
        }
        for (String other : List.of("a/b/manifest/00000000000000000001.manifest", "a2/manifest/00000000000000000001.manifest",
                "ab/wal/00000000000000000001.sst")) {
            assertTrue(layout.objectDirectoryPrefixes().stream().noneMatch(other::startsWith), other);
        }
    }

    @Test
    void idsArePaddedTo20DigitsAcrossTheUnsignedRange() {
        assertEquals("00000000000000000000", DbLayout.paddedId(0));
        assertEquals("09223372036854775807", DbLayout.paddedId(Long.MAX_VALUE));
        assertEquals("09223372036854775808", DbLayout.paddedId(Long.MIN_VALUE));
        assertEquals("18446744073709551615", DbLayout.paddedId(-1L));
        assertEquals("db/wal/18446744073709551615.sst", DbLayout.of("db").walSstPath(-1L));
    }

    @Property
    void sequenceIdsRoundTripThroughTheirNames(@ForAll long id) {
        DbLayout layout = DbLayout.of("root");
        assertEquals(Optional.of(id), DbLayout.parseManifestId(layout.manifestPath(id)));
        assertEquals(Optional.of(id), DbLayout.parseWalSstId(layout.walSstPath(id)));
        assertEquals(Optional.of(id), DbLayout.parseCompactionsId(layout.compactionsPath(id)));
        assertEquals(20, DbLayout.paddedId(id).length());
    }

    @Property
    void compactedSstIdsRoundTripThroughTheirNames(@ForAll long high, @ForAll long low) {
        Ulid id = new Ulid(high, low);
        assertEquals(Optional.of(id), DbLayout.parseCompactedSstId(DbLayout.of("r").compactedSstPath(id)));
    }

    @Test
    void theIdIsTheFileNameBeforeItsFirstDot() {
        assertEquals(Optional.of(1L), DbLayout.parseManifestId("1.manifest"));
        assertEquals(Optional.of(12L), DbLayout.parseManifestId("x/y/00012.backup.manifest"));
        assertEquals(Optional.of(SST), DbLayout.parseCompactedSstId("01M80R22FX6JAVBX9ZGHPHK1MD.sst"));
        assertEquals(Optional.of(-1L), DbLayout.parseWalSstId("18446744073709551615.sst"));
    }

    @Test
    void namesThatAreNotOursAreIgnored() {
        for (String name : List.of("manifest/abc.manifest", "manifest/.manifest", "manifest/00001.manifest.tmp",
                "manifest/00001", "manifest/00001.sst", "manifest/-1.manifest", "manifest/+1.manifest",
                "manifest/18446744073709551616.manifest", "manifest/1 .manifest", "manifest/",
                "manifest/00000000000000000001.MANIFEST")) {
            assertEquals(Optional.empty(), DbLayout.parseManifestId(name), name);
        }
        assertEquals(Optional.empty(), DbLayout.parseWalSstId("wal/00000000000000000001.manifest"));
        assertEquals(Optional.empty(), DbLayout.parseCompactionsId("compactions/x.compactions"));
        for (String name : List.of("compacted/01M80R22FX6JAVBX9ZGHPHK1M.sst", "compacted/81M80R22FX6JAVBX9ZGHPHK1MD.sst",
                "compacted/01M80R22FX6JAVBX9ZGHPHK1MD.manifest", "compacted/12.sst", "compacted/.sst")) {
            assertEquals(Optional.empty(), DbLayout.parseCompactedSstId(name), name);
        }
    }
}
