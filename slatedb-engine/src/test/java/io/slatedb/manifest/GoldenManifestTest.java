package io.slatedb.manifest;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Manifests written by SlateDB 0.12.1 decode to exactly their values and re-encode to the same bytes. */
class GoldenManifestTest {

    static Stream<Arguments> goldenManifests() {
        return Stream.of(
                golden("new-database.manifest", GoldenManifests::newDatabase),
                golden("l0-reopened.manifest", GoldenManifests::l0Reopened),
                golden("compacted-l0-and-run.manifest", GoldenManifests::compactedL0AndRun),
                golden("two-sorted-runs.manifest", GoldenManifests::twoSortedRuns),
                golden("reader-checkpoint.manifest", GoldenManifests::readerCheckpoint),
                golden("separate-wal-store.manifest", GoldenManifests::separateWalStore),
                golden("zstd-with-filter.manifest", GoldenManifests::zstdWithFilter),
                golden("clone-rewritten.manifest", GoldenManifests::cloneRewritten));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenManifests")
    void decodesToTheValuesSlateDbWrote(String file, Supplier<Manifest> expected) {
        assertEquals(expected.get(), ManifestCodec.decode("manifest/" + file, read(file)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenManifests")
    void reEncodesToTheSameBytes(String file, Supplier<Manifest> expected) {
        assertArrayEquals(read(file), ManifestCodec.encode(expected.get()));
    }

    @Test
    void theInitialManifestIsWhatSlateDbWritesForANewDatabase() {
        assertArrayEquals(read("new-database.manifest"), ManifestCodec.encode(Manifest.initial(ManifestCore.initial())));
    }

    private static Arguments golden(String file, Supplier<Manifest> expected) {
        return Arguments.of(file, expected);
    }

    static byte[] read(String file) {
        try (InputStream in = GoldenManifestTest.class.getResourceAsStream("/golden/manifest/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing golden file " + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
