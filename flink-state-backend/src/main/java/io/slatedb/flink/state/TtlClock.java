package io.slatedb.flink.state;

import org.apache.flink.runtime.state.ttl.TtlTimeProvider;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Flink's TTL time as the engine's clock, so that the expire times of TTL'd values (Flink's last access
 * time plus the TTL) are judged by the time Flink judges them by. In production Flink's TTL time is
 * the system time.
 */
final class TtlClock extends Clock {

    private final TtlTimeProvider time;

    TtlClock(TtlTimeProvider time) {
        this.time = time;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (ZoneOffset.UTC.equals(zone)) {
            return this;
        }
        throw new UnsupportedOperationException("TtlClock is in UTC");
    }

    @Override
    public long millis() {
        return time.currentTimestamp();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }
}
