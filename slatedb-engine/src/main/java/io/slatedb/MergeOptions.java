package io.slatedb;

import java.util.Objects;

/**
 * Options of one merge (in a {@link WriteBatch} or a single write), as SlateDB's {@code MergeOptions}.
 * {@link #DEFAULT} uses the database's default time to live. A value folded from operands expires at
 * the earliest expiry time among them (and the value they apply to).
 *
 * @param ttl the operand's time to live; default {@link Ttl#DEFAULT}
 */
public record MergeOptions(Ttl ttl) implements ValueOptions {

    /** The database's default time to live. */
    public static final MergeOptions DEFAULT = new MergeOptions(Ttl.DEFAULT);

    /** Never expire. */
    public static final MergeOptions NO_EXPIRY = new MergeOptions(Ttl.NO_EXPIRY);

    /** @throws NullPointerException when {@code ttl} is null */
    public MergeOptions {
        Objects.requireNonNull(ttl, "ttl");
    }
}
