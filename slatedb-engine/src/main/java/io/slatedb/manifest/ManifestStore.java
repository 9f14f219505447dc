package io.slatedb.manifest;

import io.slatedb.format.DbLayout;
import io.slatedb.metadata.BoundaryFile;
import io.slatedb.metadata.FenceableObject;
import io.slatedb.metadata.ObjectCodec;
import io.slatedb.metadata.SequencedObjectStore;
import io.slatedb.store.ObjectStore;

/** The manifest as a sequenced, epoch-fenced metadata object: its codec, epochs and object sequence. */
public final class ManifestStore {
    private ManifestStore() {
    }

    /**
     * Manifests as objects: {@link ManifestCodec}, and every manifest loaded must pass
     * {@link ManifestChecks}, so no process (writer, reader, compactor, collector, admin, clone) builds
     * on an inconsistent one.
     */
    public static final ObjectCodec<Manifest> CODEC = new ObjectCodec<>() {
        @Override
        public byte[] encode(Manifest value) {
            return ManifestCodec.encode(value);
        }

        @Override
        public Manifest decode(String path, byte[] bytes) {
            Manifest manifest = ManifestCodec.decode(path, bytes);
            ManifestChecks.check(path, manifest);
            return manifest;
        }
    };

    /** The writer epoch, bumped by every writer that opens the database. */
    public static final FenceableObject.EpochField<Manifest> WRITER_EPOCH = new FenceableObject.EpochField<>() {
        @Override
        public long epoch(Manifest value) {
            return value.writerEpoch();
        }

        @Override
        public Manifest withEpoch(Manifest value, long epoch) {
            return value.withWriterEpoch(epoch);
        }
    };

    /** The compactor epoch, bumped by every compactor that starts. */
    public static final FenceableObject.EpochField<Manifest> COMPACTOR_EPOCH = new FenceableObject.EpochField<>() {
        @Override
        public long epoch(Manifest value) {
            return value.compactorEpoch();
        }

        @Override
        public Manifest withEpoch(Manifest value, long epoch) {
            return value.withCompactorEpoch(epoch);
        }
    };

    /**
     * The manifests of the database at {@code layout}.
     *
     * @param boundaryFiles whether GC boundary files guard commits (SlateDB's default; off only for
     *                      stores without conditional overwrite)
     */
    public static SequencedObjectStore<Manifest> sequence(ObjectStore store, DbLayout layout, boolean boundaryFiles) {
        return new SequencedObjectStore<>(store, layout.manifestDir(), "manifest", CODEC,
                boundaryFiles ? new BoundaryFile(store, layout.manifestBoundaryPath()) : null);
    }
}
