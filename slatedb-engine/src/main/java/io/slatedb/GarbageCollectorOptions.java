package io.slatedb;

/**
 * The garbage collector a writer runs in-process: one task per kind of object, each disabled by a
 * {@code null} (in settings maps: {@code none}). SlateDB's {@code GarbageCollectorOptions}; its
 * defaults are in {@link #DEFAULT}.
 *
 * <p>Before each task runs, expired checkpoints are removed from the manifest.
 *
 * @param manifestOptions      deletes manifests that are neither the latest nor pinned by a
 *                             checkpoint ({@code manifest_options}); default
 *                             {@link GarbageCollectorDirectoryOptions#DEFAULT}
 * @param walOptions           deletes WAL SSTs that no manifest or checkpoint still needs for replay
 *                             ({@code wal_options}); default {@link GarbageCollectorDirectoryOptions#DEFAULT}
 * @param walFenceOptions      deletes empty WAL objects left by fencing ({@code wal_fence_options});
 *                             default {@link GarbageCollectorDirectoryOptions#WAL_FENCE_DEFAULT}, a dry run
 * @param compactedOptions     deletes compacted SSTs no manifest or checkpoint references
 *                             ({@code compacted_options}); default
 *                             {@link GarbageCollectorDirectoryOptions#DEFAULT}
 * @param compactionsOptions   deletes superseded {@code .compactions} files ({@code compactions_options});
 *                             default {@link GarbageCollectorDirectoryOptions#DEFAULT}
 * @param detachOptions        releases a clone's parent checkpoints once unused ({@code detach_options});
 *                             default {@link GarbageCollectorScheduleOptions#DEFAULT}
 * @param boundaryFilesEnabled whether manifests and {@code .compactions} files are deleted only after
 *                             advancing their {@code gc/*.boundary} file ({@code boundary_files_enabled});
 *                             default true. Disable only for stores without conditional overwrites, and
 *                             then in every process that collects garbage in the database.
 */
public record GarbageCollectorOptions(
        GarbageCollectorDirectoryOptions manifestOptions,
        GarbageCollectorDirectoryOptions walOptions,
        GarbageCollectorDirectoryOptions walFenceOptions,
        GarbageCollectorDirectoryOptions compactedOptions,
        GarbageCollectorDirectoryOptions compactionsOptions,
        GarbageCollectorScheduleOptions detachOptions,
        boolean boundaryFilesEnabled) {

    /** SlateDB's defaults: every task on, every 10 minutes, objects older than 5 minutes; fences dry-run. */
    public static final GarbageCollectorOptions DEFAULT = new GarbageCollectorOptions(
            GarbageCollectorDirectoryOptions.DEFAULT,
            GarbageCollectorDirectoryOptions.DEFAULT,
            GarbageCollectorDirectoryOptions.WAL_FENCE_DEFAULT,
            GarbageCollectorDirectoryOptions.DEFAULT,
            GarbageCollectorDirectoryOptions.DEFAULT,
            GarbageCollectorScheduleOptions.DEFAULT,
            true);

    /** A builder starting from {@link #DEFAULT}. */
    public static Builder builder() {
        return new Builder(DEFAULT);
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds {@link GarbageCollectorOptions}. Each task option accepts {@code null} to disable the task. */
    public static final class Builder {
        private GarbageCollectorDirectoryOptions manifestOptions;
        private GarbageCollectorDirectoryOptions walOptions;
        private GarbageCollectorDirectoryOptions walFenceOptions;
        private GarbageCollectorDirectoryOptions compactedOptions;
        private GarbageCollectorDirectoryOptions compactionsOptions;
        private GarbageCollectorScheduleOptions detachOptions;
        private boolean boundaryFilesEnabled;

        private Builder(GarbageCollectorOptions from) {
            manifestOptions = from.manifestOptions;
            walOptions = from.walOptions;
            walFenceOptions = from.walFenceOptions;
            compactedOptions = from.compactedOptions;
            compactionsOptions = from.compactionsOptions;
            detachOptions = from.detachOptions;
            boundaryFilesEnabled = from.boundaryFilesEnabled;
        }

        /** Sets {@link GarbageCollectorOptions#manifestOptions()}; {@code null} disables the task. */
        public Builder manifestOptions(GarbageCollectorDirectoryOptions options) {
            this.manifestOptions = options;
            return this;
        }

        /** Sets {@link GarbageCollectorOptions#walOptions()}; {@code null} disables the task. */
        public Builder walOptions(GarbageCollectorDirectoryOptions options) {
            this.walOptions = options;
            return this;
        }

        /** Sets {@link GarbageCollectorOptions#walFenceOptions()}; {@code null} disables the task. */
        public Builder walFenceOptions(GarbageCollectorDirectoryOptions options) {
            this.walFenceOptions = options;
            return this;
        }

        /** Sets {@link GarbageCollectorOptions#compactedOptions()}; {@code null} disables the task. */
        public Builder compactedOptions(GarbageCollectorDirectoryOptions options) {
            this.compactedOptions = options;
            return this;
        }

        /** Sets {@link GarbageCollectorOptions#compactionsOptions()}; {@code null} disables the task. */
        public Builder compactionsOptions(GarbageCollectorDirectoryOptions options) {
            this.compactionsOptions = options;
            return this;
        }

        /** Sets {@link GarbageCollectorOptions#detachOptions()}; {@code null} disables the task. */
        public Builder detachOptions(GarbageCollectorScheduleOptions options) {
            this.detachOptions = options;
            return this;
        }

        /** Sets {@link GarbageCollectorOptions#boundaryFilesEnabled()}. */
        public Builder boundaryFilesEnabled(boolean enabled) {
            this.boundaryFilesEnabled = enabled;
            return this;
        }

        /** The options; a {@code null} task option disables that task. */
        public GarbageCollectorOptions build() {
            return new GarbageCollectorOptions(manifestOptions, walOptions, walFenceOptions, compactedOptions,
                    compactionsOptions, detachOptions, boundaryFilesEnabled);
        }
    }
}
