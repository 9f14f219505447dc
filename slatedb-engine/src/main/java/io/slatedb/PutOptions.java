package io.slatedb;

import java.util.Objects;

/**
 * Options of one put (in a {@link WriteBatch} or a single write). {@link #DEFAULT} uses the
 * database's default time to live.
 *
 * @param ttl the version's time to live; default {@link Ttl#DEFAULT}
 */
public record PutOptions(Ttl ttl) implements ValueOptions {

    /** The database's default time to live. */
    public static final PutOptions DEFAULT = new PutOptions(Ttl.DEFAULT);

    /** Never expire. */
    public static final PutOptions NO_EXPIRY = new PutOptions(Ttl.NO_EXPIRY);

    /** @throws NullPointerException when {@code ttl} is null */
    public PutOptions {
        Objects.requireNonNull(ttl, "ttl");
    }

    /** A builder starting from {@link #DEFAULT}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link PutOptions}. Not thread-safe. */
    public static final class Builder {
        private Ttl ttl = Ttl.DEFAULT;

        private Builder() {
        }

        /** Sets {@link PutOptions#ttl()}. */
        public Builder ttl(Ttl ttl) {
            this.ttl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /** The options. */
        public PutOptions build() {
            return new PutOptions(ttl);
        }
    }
}
