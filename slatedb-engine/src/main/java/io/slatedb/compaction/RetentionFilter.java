package io.slatedb.compaction;

import io.slatedb.MergeOperator;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.ValueKind;

import java.util.ArrayList;
import java.util.List;

/**
 * Which versions of one key a compaction keeps (SlateDB's retention rules):
 * <ul>
 *   <li>every version above {@code retention_min_seq} (a snapshot at or above it may read any of
 *       them) and the newest version at or below it (what a read at it sees); older ones are dropped;</li>
 *   <li>a value whose expire time is at or before {@code now} becomes a tombstone with its sequence
 *       number and create time;</li>
 *   <li>that newest version at or below {@code retention_min_seq}, when it is a tombstone, is dropped
 *       too if the output is the tree's oldest sorted run: nothing older is left for it to hide;</li>
 *   <li>with a merge operator, a key's operands are first folded ({@link OperandFolder}); an operand
 *       (folded or not) whose expire time is at or before {@code now} is dropped, and the versions
 *       below a kept operand are kept down to the first value or tombstone at or below
 *       {@code retention_min_seq} (the operand applies to it);</li>
 *   <li>without a merge operator, a key with merge operands keeps every version: they cannot be
 *       combined, and each one may still be needed.</li>
 * </ul>
 */
final class RetentionFilter {
    private final long retentionMinSeq;
    private final long now;
    private final boolean dropTombstones;
    private final OperandFolder folder;

    /**
     * @param retentionMinSeq the manifest's {@code recent_snapshot_min_seq} (unsigned)
     * @param now             the time (ms) expiry is judged at
     * @param dropTombstones  whether the output is the oldest sorted run of its tree
     * @param operator        folds merge operands; null when there is none
     */
    RetentionFilter(long retentionMinSeq, long now, boolean dropTombstones, MergeOperator operator) {
        this.retentionMinSeq = retentionMinSeq;
        this.now = now;
        this.dropTombstones = dropTombstones;
        this.folder = operator == null ? null : new OperandFolder(operator, retentionMinSeq, dropTombstones);
    }

    /** The versions to write of one key, given all its versions newest first. */
    List<RowEntry> retain(List<RowEntry> versions) {
        boolean hasOperand = false;
        for (RowEntry row : versions) {
            hasOperand |= row.kind() == ValueKind.MERGE_OPERAND;
        }
        if (hasOperand) {
            if (folder == null) {
                return versions;
            }
            versions = folder.fold(versions);
        }
        List<RowEntry> kept = new ArrayList<>(Math.min(versions.size(), 4));
        for (RowEntry row : versions) {
            if (row.kind() == ValueKind.MERGE_OPERAND) {
                if (row.expireTs().isEmpty() || row.expireTs().getAsLong() > now) {
                    kept.add(row);
                }
                continue; // an operand needs the versions below it
            }
            boolean boundary = Long.compareUnsigned(row.seq(), retentionMinSeq) <= 0;
            RowEntry retained = row.expiredAsTombstone(now);
            if (boundary) {
                if (!(retained.isTombstone() && dropTombstones)) {
                    kept.add(retained);
                }
                break;
            }
            kept.add(retained);
        }
        return kept;
    }

}
