package io.slatedb.compaction;

import io.slatedb.format.Ulid;

import java.util.List;
import java.util.Objects;

/**
 * One compaction as the {@code .compactions} file lists it.
 *
 * @param id         the compaction's id; output SSTs are named after it, so its time is a low
 *                   watermark for the garbage collector
 * @param l0ViewIds  the L0 views it reads, newest first
 * @param sortedRuns the sorted runs it reads, by descending id
 * @param status     where it is
 */
public record CompactionRecord(Ulid id, List<Ulid> l0ViewIds, List<Long> sortedRuns, CompactionStatus status) {

    public CompactionRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        l0ViewIds = List.copyOf(l0ViewIds);
        sortedRuns = List.copyOf(sortedRuns);
    }

    /** This compaction with another status. */
    public CompactionRecord withStatus(CompactionStatus newStatus) {
        return new CompactionRecord(id, l0ViewIds, sortedRuns, newStatus);
    }
}
