/**
 * Internal: SlateDB's compactor. The {@link io.slatedb.compaction.SizeTieredScheduler} picks L0 SSTs
 * and sorted runs to merge; the {@link io.slatedb.compaction.CompactionExecutor} merges them into a new
 * sorted run; the {@link io.slatedb.compaction.CompactorCore} claims the compactor epoch, keeps the
 * {@code .compactions} state ({@link io.slatedb.compaction.CompactionsState}) and commits results to
 * the manifest. The public entry points are {@link io.slatedb.Compactor} and the writer's embedded
 * compactor ({@link io.slatedb.compaction.EmbeddedCompactor}).
 */
package io.slatedb.compaction;
