package io.slatedb.compaction;

import io.slatedb.format.DbLayout;
import io.slatedb.metadata.BoundaryFile;
import io.slatedb.metadata.FenceableObject;
import io.slatedb.metadata.SequencedObjectStore;
import io.slatedb.store.ObjectStore;

/** The {@code .compactions} objects as a sequenced, epoch-fenced metadata object, like the manifest. */
public final class CompactionsStore {
    private CompactionsStore() {
    }

    /** The compactor epoch of a {@code .compactions} object. */
    public static final FenceableObject.EpochField<CompactionsState> EPOCH = new FenceableObject.EpochField<>() {
        @Override
        public long epoch(CompactionsState value) {
            return value.compactorEpoch();
        }

        @Override
        public CompactionsState withEpoch(CompactionsState value, long epoch) {
            return value.withEpoch(epoch);
        }
    };

    /**
     * The {@code .compactions} objects of the database at {@code layout}.
     *
     * @param boundaryFiles whether {@code gc/compactions.boundary} guards commits
     */
    public static SequencedObjectStore<CompactionsState> sequence(ObjectStore store, DbLayout layout,
                                                                  boolean boundaryFiles) {
        return new SequencedObjectStore<>(store, layout.compactionsDir(), "compactions", CompactionsCodec.INSTANCE,
                boundaryFiles ? new BoundaryFile(store, layout.compactionsBoundaryPath()) : null);
    }
}
