package io.slatedb.flink.state;

import io.slatedb.Settings;
import org.apache.flink.runtime.execution.Environment;

import java.util.Map;

/**
 * Sizes a database's memory from the slot's managed memory share: half for the block cache, an eighth
 * for the metadata cache, three eighths for unflushed writes (when that exceeds the L0 SST size, as the
 * engine requires). Engine settings given explicitly are kept. The engine holds these bytes on the JVM
 * heap; Flink's managed memory is only the budget they are taken from.
 */
final class MemorySizing {

    private MemorySizing() {
    }

    static Settings apply(Settings settings, Map<String, String> explicit, boolean useManagedMemory, Environment env,
                          double managedMemoryFraction) {
        if (!useManagedMemory || managedMemoryFraction <= 0 || env.getMemoryManager() == null) {
            return settings;
        }
        long budget = env.getMemoryManager().computeMemorySize(managedMemoryFraction);
        return sized(settings, explicit, budget);
    }

    static Settings sized(Settings settings, Map<String, String> explicit, long budget) {
        if (budget <= 0) {
            return settings;
        }
        Settings.Builder sized = settings.toBuilder();
        if (!explicit.containsKey("block_cache_bytes")) {
            sized.blockCacheBytes(blockCacheBytes(budget));
        }
        if (!explicit.containsKey("meta_cache_bytes")) {
            sized.metaCacheBytes(metaCacheBytes(budget));
        }
        long unflushed = budget / 8 * 3;
        if (!explicit.containsKey("max_unflushed_bytes") && unflushed > settings.l0SstSizeBytes()) {
            sized.maxUnflushedBytes(unflushed);
        }
        return sized.build();
    }

    /** The block cache's share of a managed memory budget. */
    static long blockCacheBytes(long budget) {
        return budget / 2;
    }

    /** The metadata cache's share of a managed memory budget. */
    static long metaCacheBytes(long budget) {
        return budget / 8;
    }
}
