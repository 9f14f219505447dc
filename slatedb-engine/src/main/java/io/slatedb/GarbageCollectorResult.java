package io.slatedb;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a run of the collector did.
 *
 * @param dryRun             whether the whole run was a dry run
 * @param expiredCheckpoints the expired checkpoints removed from the manifest (in a dry run: found)
 * @param tasks              the result of each task that ran (the enabled ones), in run order
 */
public record GarbageCollectorResult(boolean dryRun, List<UUID> expiredCheckpoints,
                                     Map<GarbageCollectorTask, GarbageCollectorTaskResult> tasks) {
    public GarbageCollectorResult {
        expiredCheckpoints = List.copyOf(expiredCheckpoints);
        tasks = Collections.unmodifiableMap(new LinkedHashMap<>(tasks));
    }

    /** The paths {@code task} deleted (or would); empty when it did not run. */
    public List<String> paths(GarbageCollectorTask task) {
        GarbageCollectorTaskResult result = tasks.get(task);
        return result == null ? List.of() : result.paths();
    }

    /** How many objects {@code task} deleted (or would). */
    public int count(GarbageCollectorTask task) {
        return paths(task).size();
    }

    /** How many objects all tasks deleted (or would). */
    public int totalCount() {
        return tasks.values().stream().mapToInt(GarbageCollectorTaskResult::count).sum();
    }

    /** Every path all tasks deleted (or would), task by task. */
    public List<String> allPaths() {
        List<String> all = new ArrayList<>();
        tasks.values().forEach(result -> all.addAll(result.paths()));
        return all;
    }
}
