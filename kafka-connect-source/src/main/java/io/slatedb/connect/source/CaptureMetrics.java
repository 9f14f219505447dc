package io.slatedb.connect.source;

import io.slatedb.metrics.Counter;
import io.slatedb.metrics.MetricRegistry;

import java.time.Clock;

/**
 * The metrics of one database's capture: records delivered (all, and by snapshots), snapshot progress,
 * WAL gaps met, the last sequence number delivered, and the lag behind the writer in milliseconds and in
 * sequence numbers.
 */
final class CaptureMetrics {

    static final String RECORDS = "slatedb.source.records";
    static final String SNAPSHOT_RECORDS = "slatedb.source.snapshot_records";
    static final String SNAPSHOT_RUNNING = "slatedb.source.snapshot_running";
    static final String WAL_GAPS = "slatedb.source.wal_gaps";
    static final String LAST_SEQ = "slatedb.source.last_seq";
    static final String LAG_MS = "slatedb.source.lag_ms";
    static final String LAG_SEQ = "slatedb.source.lag_seq";

    private final Clock clock;
    private final Counter records;
    private final Counter snapshotRecords;
    private final Counter gaps;
    private volatile boolean snapshotRunning;
    private volatile long lastSeq;
    private volatile long lastCreateTs;
    private volatile boolean caughtUp;
    /** Every write up to this sequence number is delivered (or, during a snapshot, covered by it). */
    private volatile long positionSeq;
    /** The newest sequence number the WAL was seen to hold; 0 when not known. */
    private volatile long writerSeq;

    CaptureMetrics(MetricRegistry registry, Clock clock) {
        this.clock = clock;
        this.records = registry.counter(RECORDS, "records delivered (snapshot and stream)");
        this.snapshotRecords = registry.counter(SNAPSHOT_RECORDS, "records delivered by snapshots and catch-ups");
        this.gaps = registry.counter(WAL_GAPS, "times the WAL to read next was gone");
        registry.gauge(SNAPSHOT_RUNNING, "1 while a snapshot or catch-up runs", () -> snapshotRunning ? 1 : 0);
        registry.gauge(LAST_SEQ, "the sequence number of the last WAL row delivered", () -> lastSeq);
        registry.gauge(LAG_MS, "now minus the creation time of the last WAL row delivered; 0 when caught up",
                this::lagMillis);
        registry.gauge(LAG_SEQ, "the newest sequence number in the WAL (sampled every few seconds while behind) "
                + "minus the last one delivered; 0 when caught up", this::lagSeq);
    }

    long lagSeq() {
        long writer = writerSeq;
        return caughtUp || writer == 0 ? 0 : Math.max(0, writer - positionSeq);
    }

    /** The capture stands at {@code seq}: a snapshot's or a stream's starting point. */
    void position(long seq) {
        positionSeq = seq;
    }

    /** The newest sequence number the WAL holds, as last sampled (0: unknown). */
    void writerSeq(long seq) {
        writerSeq = seq;
    }

    private long lagMillis() {
        long created = lastCreateTs;
        return caughtUp || created == 0 ? 0 : Math.max(0, clock.millis() - created);
    }

    void snapshotRunning(boolean running) {
        snapshotRunning = running;
        if (running) {
            caughtUp = false;
        }
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
        positionSeq = seq;
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
