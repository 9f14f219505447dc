package io.slatedb.gc;

import io.slatedb.GarbageCollectorDirectoryOptions;
import io.slatedb.metadata.BoundaryFile;
import io.slatedb.metadata.SequencedObjectStore;
import io.slatedb.util.Futures;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Collection of a sequence of metadata objects (manifests, {@code .compactions} files): every version
 * older than the latest, not pinned, and last modified more than {@code min_age} ago. Before deleting,
 * the sequence's boundary file is advanced to the highest version selected (RFC-0026), so a writer that
 * stalled across the collection cannot commit a deleted id; then each version is deleted through
 * {@link SequencedObjectStore#delete}, which refuses ids above the boundary.
 */
final class SequencedGc {
    private SequencedGc() {
    }

    /**
     * @param latestId the latest version's id; it and anything newer are kept
     * @param pinned   versions kept whatever their age (manifests pinned by checkpoints)
     * @return the paths of the versions deleted, or with {@code dryRun} of those that would be
     */
    static <T> List<String> collect(SequencedObjectStore<T> sequence, BoundaryFile boundary, long latestId,
                                    Set<Long> pinned, GarbageCollectorDirectoryOptions options, Instant now,
                                    boolean dryRun) {
        List<Long> selected = new ArrayList<>();
        for (SequencedObjectStore.Listed listed : Futures.join(sequence.listIds())) {
            long id = listed.id();
            if (Long.compareUnsigned(id, latestId) >= 0 || pinned.contains(id)) {
                continue;
            }
            if (!Ages.olderThan(listed.metadata().lastModified(), options, now)) {
                continue;
            }
            selected.add(id);
        }
        if (dryRun || selected.isEmpty()) {
            return selected.stream().map(sequence::path).toList();
        }
        if (boundary != null) {
            Futures.join(boundary.advance(selected.get(selected.size() - 1))); // ids are ascending
        }
        return Deletions.run(selected, sequence::path, sequence::delete);
    }
}
