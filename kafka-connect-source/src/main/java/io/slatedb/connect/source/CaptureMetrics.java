package io.slatedb.connect.source;

import io.slatedb.metrics.Counter;
import io.slatedb.metrics.MetricRegistry;

import java.time.Clock;

/**
 * The metrics of one database's capture: records delivered (all, and by snapshots), snapshot progress,
 * WAL gaps met, the last sequence number delivered, and the lag in seconds behind the writer.
 */
final class CaptureMetrics {

    static final String RECORDS = "slatedb.source.records";
    static final String SNAPSHOT_RECORDS = "slatedb.source.snapshot_records";
    static final String SNAPSHOT_RUNNING = "slatedb.source.snapshot_running";
    static final String WAL_GAPS = "slatedb.source.wal_gaps";
    static final String LAST_SEQ = "slatedb.source.last_seq";
    static final String LAG_MS = "slatedb.source.lag_ms";

    private final Clock clock;
    private final Counter records;
    private final Counter snapshotRecords;
    private final Counter gaps;
    private volatile boolean snapshotRunning;
    private volatile long lastSeq;
    private volatile long lastCreateTs;
    private volatile boolean caughtUp;

    CaptureMetrics(MetricRegistry registry, Clock clock) {
        this.clock = clock;
        this.records = registry.counter(RECORDS, "records delivered (snapshot and stream)");
        this.snapshotRecords = registry.counter(SNAPSHOT_RECORDS, "records delivered by snapshots and catch-ups");
        this.gaps = registry.counter(WAL_GAPS, "times the WAL to read next was gone");
        registry.gauge(SNAPSHOT_RUNNING, "1 while a snapshot or catch-up runs", () -> snapshotRunning ? 1 : 0);
        registry.gauge(LAST_SEQ, "the sequence number of the last WAL row delivered", () -> lastSeq);
        registry.gauge(LAG_MS, "now minus the creation time of the last WAL row delivered; 0 when caught up",
                this::lagMillis);
    }

    private long lagMillis() {
        long created = lastCreateTs;
        return caughtUp || created == 0 ? 0 : Math.max(0, clock.millis() - created);
    }

    void snapshotRunning(boolean running) {
        snapshotRunning = running;
    }

    void snapshotRecords(int n) {
        snapshotRecords.add(n);
        records.add(n);
    }

    void streamRecords(int n) {
        records.add(n);
        if (n > 0) {
            caughtUp = false;
        }
    }

    void delivered(long seq, long createTs) {
        lastSeq = seq;
        if (createTs > 0) {
            lastCreateTs = createTs;
        }
    }

    void caughtUp() {
        caughtUp = true;
    }

    void gap() {
        gaps.increment();
    }

    long records() {
        return records.count();
    }
}
