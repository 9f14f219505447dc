package io.slatedb;

import java.util.Objects;

/**
 * Options of a point read. {@link #DEFAULT} holds SlateDB's defaults; build others with
 * {@link #builder()}.
 *
 * @param durabilityFilter how durable returned data must be; default {@link DurabilityLevel#MEMORY}
 * @param dirty            whether to also return writes that are applied but not yet committed;
 *                         default false
 * @param cacheBlocks      whether data blocks fetched from object storage go into the block cache;
 *                         default true (index and filter blocks are cached regardless)
 */
public record ReadOptions(DurabilityLevel durabilityFilter, boolean dirty, boolean cacheBlocks) {

    /** SlateDB's defaults: {@link DurabilityLevel#MEMORY}, not dirty, cache blocks. */
    public static final ReadOptions DEFAULT = new ReadOptions(DurabilityLevel.MEMORY, false, true);

    /** @throws NullPointerException when {@code durabilityFilter} is null */
    public ReadOptions {
        Objects.requireNonNull(durabilityFilter, "durabilityFilter");
    }

    /** A builder starting from {@link #DEFAULT}. */
    public static Builder builder() {
        return new Builder(DEFAULT);
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds {@link ReadOptions}. Not thread-safe. */
    public static final class Builder {
        private DurabilityLevel durabilityFilter;
        private boolean dirty;
        private boolean cacheBlocks;

        private Builder(ReadOptions from) {
            durabilityFilter = from.durabilityFilter;
            dirty = from.dirty;
            cacheBlocks = from.cacheBlocks;
        }

        /** Sets {@link ReadOptions#durabilityFilter()}. */
        public Builder durabilityFilter(DurabilityLevel durabilityFilter) {
            this.durabilityFilter = Objects.requireNonNull(durabilityFilter, "durabilityFilter");
            return this;
        }

        /** Sets {@link ReadOptions#dirty()}. */
        public Builder dirty(boolean dirty) {
            this.dirty = dirty;
            return this;
        }

        /** Sets {@link ReadOptions#cacheBlocks()}. */
        public Builder cacheBlocks(boolean cacheBlocks) {
            this.cacheBlocks = cacheBlocks;
            return this;
        }

        /** The options. */
        public ReadOptions build() {
            return new ReadOptions(durabilityFilter, dirty, cacheBlocks);
        }
    }
}
