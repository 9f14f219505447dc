package io.slatedb.format;

import java.time.Clock;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Makes ULIDs from a clock and a random source, strictly increasing across calls on one generator.
 *
 * <p>When the clock has not moved past the previous ULID's millisecond (the same millisecond, or the
 * clock stepped back), the next ULID is the previous one plus one in its random bits, so ids minted in
 * order also sort in order; SlateDB's L0 ids rely on that (RFC-0029). Thread-safe.
 */
public final class UlidGenerator {
    private final Clock clock;
    private final RandomGenerator random;
    private Ulid previous;

    public UlidGenerator(Clock clock, RandomGenerator random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * The next ULID.
     *
     * @throws IllegalStateException when the clock is before 1970 or beyond the ULID range, or when
     *                               2^80 ids were made in one millisecond
     */
    public synchronized Ulid next() {
        long now = clock.millis();
        if (previous != null && now <= previous.timestampMillis()) {
            previous = previous.increment();
        } else {
            if (now < 0 || now > Ulid.MAX_TIMESTAMP_MILLIS) {
                throw new IllegalStateException("clock time " + now + " ms cannot be stored in a ULID");
            }
            previous = Ulid.of(now, random.nextInt(1 << 16), random.nextLong());
        }
        return previous;
    }
}
