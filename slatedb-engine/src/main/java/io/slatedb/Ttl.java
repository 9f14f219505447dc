package io.slatedb;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The time to live of a put: when the stored version expires. Expired versions stay readable until
 * compaction turns them into tombstones (reads do not consult the clock).
 *
 * <p>One of {@link #DEFAULT} (the database's {@code default_ttl_millis}), {@link #NO_EXPIRY},
 * {@link #expireAfter(Duration)} or {@link #expireAt(Instant)}. {@link #expireTs} computes the
 * expiry time exactly as SlateDB does.
 */
public sealed interface Ttl permits Ttl.UseDefault, Ttl.NoExpiry, Ttl.ExpireAfter, Ttl.ExpireAt {

    /** Use the database's default time to live ({@link Settings#defaultTtlMillis()}); none if it has none. */
    Ttl DEFAULT = new UseDefault();

    /** Never expire, whatever the database's default. */
    Ttl NO_EXPIRY = new NoExpiry();

    /**
     * Expire {@code ttl} after the write's creation time (truncated to milliseconds).
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when {@code ttl} is negative
     */
    static Ttl expireAfter(Duration ttl) {
        return new ExpireAfter(ttl);
    }

    /**
     * Expire at a fixed instant (truncated to milliseconds), whatever the creation time.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when the instant is not representable
     *                          in milliseconds since the epoch as a long
     */
    static Ttl expireAt(Instant at) {
        return new ExpireAt(toEpochMillis(at));
    }

    /**
     * The expiry time of a version written at {@code createTs}, in milliseconds since the epoch, or
     * empty when it never expires. A relative time to live (this one, or the default) is added to
     * {@code createTs}; when the sum overflows a signed 64-bit integer the version gets no expiry,
     * as in SlateDB.
     *
     * @param createTs         the write's creation time, in milliseconds since the epoch
     * @param defaultTtlMillis the database's default time to live in milliseconds, or empty for none
     * @throws IllegalArgumentException when the default is negative
     */
    OptionalLong expireTs(long createTs, OptionalLong defaultTtlMillis);

    /** Uses the database's default; see {@link Ttl#DEFAULT}. */
    record UseDefault() implements Ttl {
        @Override
        public OptionalLong expireTs(long createTs, OptionalLong defaultTtlMillis) {
            Objects.requireNonNull(defaultTtlMillis, "defaultTtlMillis");
            if (defaultTtlMillis.isEmpty()) {
                return OptionalLong.empty();
            }
            long ttl = defaultTtlMillis.getAsLong();
            if (ttl < 0) {
                throw new IllegalArgumentException("negative default time to live: " + ttl);
            }
            return plus(createTs, ttl);
        }
    }

    /** Never expires; see {@link Ttl#NO_EXPIRY}. */
    record NoExpiry() implements Ttl {
        @Override
        public OptionalLong expireTs(long createTs, OptionalLong defaultTtlMillis) {
            return OptionalLong.empty();
        }
    }

    /**
     * Expires {@code ttl} after the creation time.
     *
     * @param ttl the time to live; not negative
     */
    record ExpireAfter(Duration ttl) implements Ttl {
        /** @throws SlateDbException of kind {@link ErrorKind#INVALID} when {@code ttl} is negative */
        public ExpireAfter {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative()) {
                throw new SlateDbException(ErrorKind.INVALID, "time to live must not be negative: " + ttl);
            }
        }

        @Override
        public OptionalLong expireTs(long createTs, OptionalLong defaultTtlMillis) {
            long millis;
            try {
                millis = ttl.toMillis();
            } catch (ArithmeticException e) {
                return OptionalLong.empty(); // more than Long.MAX_VALUE ms: overflows for every createTs
            }
            return plus(createTs, millis);
        }
    }

    /**
     * Expires at a fixed time.
     *
     * @param epochMillis the expiry time, in milliseconds since the epoch
     */
    record ExpireAt(long epochMillis) implements Ttl {
        @Override
        public OptionalLong expireTs(long createTs, OptionalLong defaultTtlMillis) {
            return OptionalLong.of(epochMillis);
        }
    }

    private static OptionalLong plus(long createTs, long ttlMillis) {
        try {
            return OptionalLong.of(Math.addExact(createTs, ttlMillis));
        } catch (ArithmeticException e) {
            return OptionalLong.empty();
        }
    }

    private static long toEpochMillis(Instant at) {
        Objects.requireNonNull(at, "at");
        try {
            return at.toEpochMilli();
        } catch (ArithmeticException e) {
            throw new SlateDbException(ErrorKind.INVALID, "expiry instant out of range: " + at, e);
        }
    }
}
