package io.slatedb.db;

import java.time.Clock;
import java.util.Objects;

/**
 * The writer's clock for creation times: the system clock, but never behind a time it has already
 * handed out or the times recovered from the database (the manifest's last L0 clock tick and the
 * replayed WAL rows). Manifest clock ticks must not go backwards, and rows written later must not
 * look older, so a clock that steps back is held at its high-water mark. Thread-safe.
 */
final class WriterClock {
    private final Clock clock;
    private long last;

    WriterClock(Clock clock, long floorMillis) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.last = floorMillis;
    }

    /** The current time in milliseconds, at least every earlier answer. */
    synchronized long now() {
        long now = clock.millis();
        if (now > last) {
            last = now;
        }
        return last;
    }
}
