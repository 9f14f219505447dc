package io.slatedb;

import java.util.List;
import java.util.Objects;

/**
 * What one task deleted.
 *
 * @param task   the task
 * @param dryRun whether it only listed what it would delete (the run was a dry run, or the task's
 *               options say so)
 * @param paths  the object paths deleted, or in a dry run those that would be; in ascending id order
 *               for manifests, WAL objects and {@code .compactions} files
 */
public record GarbageCollectorTaskResult(GarbageCollectorTask task, boolean dryRun, List<String> paths) {
    public GarbageCollectorTaskResult {
        Objects.requireNonNull(task, "task");
        paths = List.copyOf(paths);
    }

    /** How many objects were deleted (or would be). */
    public int count() {
        return paths.size();
    }
}
