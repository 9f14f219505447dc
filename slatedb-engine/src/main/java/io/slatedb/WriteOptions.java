package io.slatedb;

/**
 * Options of one write (a put, a delete or a {@link WriteBatch}). Build with {@link #builder()}.
 *
 * <p>Every write returns a {@link WriteHandle} whose {@link WriteHandle#durable()} completes when the
 * write is in object storage. {@link #awaitDurable()} decides whether the write call itself waits
 * for that: SlateDB's older {@code WriteOptions.await_durable}, kept here because a blocking
 * durable write is what most callers want.
 *
 * @param awaitDurable when true (the default), the write returns only once it is durable in object
 *                     storage, and fails when the database closes first; when false, it returns as
 *                     soon as it is applied in memory (readable with {@link DurabilityLevel#MEMORY})
 *                     and the caller may wait on {@link WriteHandle#durable()} later, or never
 */
public record WriteOptions(boolean awaitDurable) {

    /** Wait until the write is durable. */
    public static final WriteOptions DEFAULT = new WriteOptions(true);

    /** Return once the write is applied in memory, without waiting for durability. */
    public static final WriteOptions NO_AWAIT = new WriteOptions(false);

    /** A builder starting from {@link #DEFAULT}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link WriteOptions}. Not thread-safe. */
    public static final class Builder {
        private boolean awaitDurable = true;

        private Builder() {
        }

        /** Sets {@link WriteOptions#awaitDurable()}. */
        public Builder awaitDurable(boolean awaitDurable) {
            this.awaitDurable = awaitDurable;
            return this;
        }

        /** The options. */
        public WriteOptions build() {
            return new WriteOptions(awaitDurable);
        }
    }
}
