package io.slatedb.store;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How {@link RetryingObjectStore} retries: exponential backoff with full jitter, at most
 * {@code maxAttempts} attempts (the first try included), and no retry that would start after
 * {@code deadline} has passed since the first attempt began.
 *
 * <p>The wait before retry {@code n} (after {@code n} failed attempts) is drawn uniformly from
 * {@code [0, min(maxBackoff, initialBackoff * 2^(n-1))]}. Full jitter spreads the retries of many
 * writers that failed together, so they do not hammer a recovering server in step.
 *
 * @param initialBackoff the cap of the first wait
 * @param maxBackoff     the largest cap a wait can reach
 * @param maxAttempts    how many attempts to make at most; {@link #UNLIMITED_ATTEMPTS} for no bound
 * @param deadline       how long after the first attempt a retry may still start; null for no bound
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, int maxAttempts, Duration deadline) {

    /** Retry for as long as it takes, as SlateDB does by default ({@code object_store_max_retries: None}). */
    public static final int UNLIMITED_ATTEMPTS = Integer.MAX_VALUE;

    /** SlateDB's backoff: from 100 ms, doubling up to 1 s, without a bound on attempts or time. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(1),
            UNLIMITED_ATTEMPTS, null);

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("initialBackoff must be positive: " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is shorter than initialBackoff "
                    + initialBackoff);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        if (deadline != null && deadline.isNegative()) {
            throw new IllegalArgumentException("deadline must not be negative: " + deadline);
        }
    }

    /** This policy with another backoff range. */
    public RetryPolicy withBackoff(Duration newInitialBackoff, Duration newMaxBackoff) {
        return new RetryPolicy(newInitialBackoff, newMaxBackoff, maxAttempts, deadline);
    }

    /** This policy making at most {@code newMaxAttempts} attempts in all. */
    public RetryPolicy withMaxAttempts(int newMaxAttempts) {
        return new RetryPolicy(initialBackoff, maxBackoff, newMaxAttempts, deadline);
    }

    /** This policy starting no retry later than {@code newDeadline} after the first attempt (null: never stop). */
    public RetryPolicy withDeadline(Duration newDeadline) {
        return new RetryPolicy(initialBackoff, maxBackoff, maxAttempts, newDeadline);
    }

    /** The largest wait after {@code failedAttempts} (at least 1) failed attempts. */
    public Duration backoffCap(int failedAttempts) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failedAttempts must be at least 1: " + failedAttempts);
        }
        long initial = initialBackoff.toNanos();
        long max = maxBackoff.toNanos();
        // Doubling more than 62 times overflows; by then the cap has long since hit maxBackoff.
        int doublings = Math.min(failedAttempts - 1, 62);
        long cap = initial > (max >> doublings) ? max : initial << doublings;
        return Duration.ofNanos(Math.min(cap, max));
    }

    /** A wait after {@code failedAttempts} failed attempts, drawn from {@code [0, backoffCap(failedAttempts)]}. */
    public Duration backoff(int failedAttempts, RandomGenerator random) {
        long cap = backoffCap(failedAttempts).toNanos();
        return Duration.ofNanos(Math.round(cap * random.nextDouble()));
    }
}
