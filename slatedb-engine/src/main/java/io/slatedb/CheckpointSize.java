package io.slatedb;

import java.util.Objects;
import java.util.UUID;

/**
 * The SSTs of a checkpoint's manifest, counted and summed: every SST its trees reference (L0 and sorted
 * runs, every segment, and in a clone the SSTs it reads from its source databases), each once. Sizes
 * come from the manifest alone (no object is read): each SST's bytes through its last block, which is
 * its object size less a small trailing info block and footer (a few hundred bytes per SST). For
 * checkpoint statistics such as Flink's full and incremental checkpoint sizes.
 *
 * @param checkpointId the checkpoint
 * @param manifestId   the manifest it pins (unsigned)
 * @param sstCount     how many SSTs are counted
 * @param sstBytes     their bytes
 */
public record CheckpointSize(UUID checkpointId, long manifestId, int sstCount, long sstBytes) {

    /** @throws NullPointerException when {@code checkpointId} is null */
    public CheckpointSize {
        Objects.requireNonNull(checkpointId, "checkpointId");
    }
}
