package io.slatedb.boundary;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's public API mentions no internal type; and the checks find what they look for. */
@Timeout(60)
class ApiBoundaryTest {

    @Test
    void publicSignaturesMentionNoInternalType() {
        assertEquals(List.of(), ApiBoundary.leakingSignatures(),
                "public members of public types that mention internal types");
    }

    @Test
    void internalPackagesAreEveryEnginePackageButThePublicOnes() {
        var internal = ApiBoundary.internalPackages();
        assertTrue(internal.containsAll(List.of("io.slatedb.format", "io.slatedb.manifest", "io.slatedb.util",
                "io.slatedb.db", "io.slatedb.sst")), internal::toString);
        assertTrue(internal.stream().noneMatch(ApiBoundary.PUBLIC_PACKAGES::contains), internal::toString);
    }

    @Test
    void referenceScanFindsInternalReferences() {
        // The engine's own test classes use internal types freely: the scan must see them.
        List<String> found = ApiBoundary.internalReferences(ApiBoundary.classesOf(ApiBoundaryTest.class));
        assertTrue(found.contains("io.slatedb.InternalManifests -> io.slatedb.manifest.Manifest"), found::toString);
    }

    @Test
    void constantPoolScanReadsDescriptorsAndClassEntries() throws Exception {
        byte[] bytes;
        try (var in = io.slatedb.ManifestSnapshot.class.getResourceAsStream("ManifestSnapshot.class")) {
            bytes = in.readAllBytes();
        }
        var names = ApiBoundary.referencedClasses(bytes);
        assertTrue(names.contains("io.slatedb.manifest.Manifest"), names::toString);
        assertTrue(names.contains("io.slatedb.ManifestView"), names::toString);
    }
}
