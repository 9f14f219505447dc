package io.slatedb.gc;

import io.slatedb.GarbageCollectorDirectoryOptions;

import java.time.Duration;
import java.time.Instant;

/** The age rule every task applies: an object may go only once it is strictly older than {@code min_age}. */
final class Ages {
    private Ages() {
    }

    static boolean olderThan(Instant lastModified, GarbageCollectorDirectoryOptions options, Instant now) {
        return Duration.between(lastModified, now).compareTo(options.minAge()) > 0;
    }

    /** The newest time (ms) an object may have to be old enough: {@code now - min_age}. */
    static long cutoffMillis(GarbageCollectorDirectoryOptions options, Instant now) {
        return now.minus(options.minAge()).toEpochMilli();
    }
}
