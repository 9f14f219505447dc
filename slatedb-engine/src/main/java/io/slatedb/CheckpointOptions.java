package io.slatedb;

import java.time.Duration;
import java.util.UUID;

/**
 * How to create a checkpoint. Build with {@link #builder()}; {@link #DEFAULT} is a checkpoint that
 * never expires, of the current manifest, without a name.
 *
 * @param lifetime how long the checkpoint lives: it expires at creation time plus this duration
 *                 (stored with second precision), after which garbage collection removes it;
 *                 {@code null} (the default) means it never expires. Must not be negative.
 * @param source   an existing checkpoint whose manifest the new checkpoint pins as well, to give
 *                 the same state another lifetime or name; {@code null} (the default) pins the
 *                 current manifest. Creating fails with kind {@link ErrorKind#DATA} when the source
 *                 does not exist.
 * @param name     a label to find the checkpoint by; names need not be unique. {@code null} (the
 *                 default) for none.
 */
public record CheckpointOptions(Duration lifetime, UUID source, String name) {

    /** A checkpoint of the current manifest that never expires and has no name. */
    public static final CheckpointOptions DEFAULT = new CheckpointOptions(null, null, null);

    /** @throws SlateDbException of kind {@link ErrorKind#INVALID} when the lifetime is negative */
    public CheckpointOptions {
        if (lifetime != null && lifetime.isNegative()) {
            throw new SlateDbException(ErrorKind.INVALID, "checkpoint lifetime must not be negative: " + lifetime);
        }
    }

    /** A builder starting from {@link #DEFAULT}. */
    public static Builder builder() {
        return new Builder(DEFAULT);
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds {@link CheckpointOptions}. Not thread-safe. */
    public static final class Builder {
        private Duration lifetime;
        private UUID source;
        private String name;

        private Builder(CheckpointOptions from) {
            lifetime = from.lifetime;
            source = from.source;
            name = from.name;
        }

        /** Sets {@link CheckpointOptions#lifetime()}; {@code null} for a checkpoint that never expires. */
        public Builder lifetime(Duration lifetime) {
            this.lifetime = lifetime;
            return this;
        }

        /** Sets {@link CheckpointOptions#source()}; {@code null} to pin the current manifest. */
        public Builder source(UUID source) {
            this.source = source;
            return this;
        }

        /** Sets {@link CheckpointOptions#name()}; {@code null} for none. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** @throws SlateDbException of kind {@link ErrorKind#INVALID} when the lifetime is negative */
        public CheckpointOptions build() {
            return new CheckpointOptions(lifetime, source, name);
        }
    }
}
