package io.slatedb;

import java.util.OptionalLong;

/**
 * The options of a write that stores bytes under a key: a put ({@link PutOptions}) or a merge
 * ({@link MergeOptions}). Both carry the stored row's time to live.
 */
public sealed interface ValueOptions permits PutOptions, MergeOptions {

    /** The row's time to live. */
    Ttl ttl();

    /**
     * The row's expiry time when its write is created at {@code createTs}; see
     * {@link Ttl#expireTs(long, OptionalLong)}.
     */
    default OptionalLong expireTs(long createTs, OptionalLong defaultTtlMillis) {
        return ttl().expireTs(createTs, defaultTtlMillis);
    }
}
