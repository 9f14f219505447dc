package io.slatedb.connect.source;

import io.slatedb.Admin;
import io.slatedb.ChangeBatch;
import io.slatedb.ChangeRow;
import io.slatedb.DbPosition;
import io.slatedb.ErrorKind;
import io.slatedb.MergeOperator;
import io.slatedb.SlateDbException;
import io.slatedb.WalChangeFeed;
import io.slatedb.WalRange;
import io.slatedb.WalTruncatedException;
import io.slatedb.connect.SinkOffsetKeys;
import io.slatedb.connect.source.SlateDbSourceConfig.GapPolicy;
import io.slatedb.connect.source.SlateDbSourceConfig.StartFrom;
import io.slatedb.connect.source.SourceOffsets.SnapshotPosition;
import io.slatedb.connect.source.SourceOffsets.StreamPosition;
import io.slatedb.store.ObjectStore;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The capture of one database by one task: a snapshot (or catch-up) from a checkpoint, then the WAL from
 * exactly the snapshot's position on, as Kafka records with offsets to resume from. Polled by the task's
 * thread only; {@link #acknowledge} and {@link #commit} come from Connect's other threads.
 *
 * <p>The retention slot and the snapshot checkpoint move only to positions Connect has committed: what
 * was acknowledged before the previous {@link #commit} (in exactly-once mode records are acknowledged in
 * the transaction that {@code commit} follows; otherwise the offsets flushed before {@code commit} cover
 * at least what was acknowledged before the previous one).
 */
final class DatabaseCapture implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DatabaseCapture.class);
    /** How many stored keys a snapshot poll looks at, at most, per record it may return. */
    private static final int SNAPSHOT_SCAN_FACTOR = 4;
    /** Attempts at starting a snapshot whose new checkpoint lost its WAL before the slot held it. */
    private static final int SNAPSHOT_ATTEMPTS = 3;

    private final String path;
    private final ObjectStore store;
    private final Admin admin;
    private final SlateDbSourceConfig config;
    private final ChangeRecords records;
    private final RetentionSlot slot;
    private final String checkpointName;
    private final Clock clock;
    /** Folds merge operands in snapshots; null when none is configured. */
    private final MergeOperator mergeOperator;
    private final NewestSeqProbe newestSeq;
    final CaptureMetrics metrics;

    /** The offset stored when the task started: a position, or null. Consumed by the first poll. */
    private Object stored;
    private volatile boolean started;
    private volatile SnapshotRun snapshot;
    private WalChangeFeed feed;
    /** Streaming: the sequence number of the last complete write batch read. */
    private long lastSeq;

    private final Object acks = new Object();
    /** The first WAL id that acknowledged records still need; 0: none acknowledged. */
    private long ackedWalId;
    /** Whether a streaming record (after the last snapshot) has been acknowledged. */
    private boolean ackedStream;
    private long committableWalId;
    private boolean committableStream;
    /** The checkpoint of a finished snapshot, deleted once a streaming record after it is committed. */
    private volatile UUID finishedCheckpoint;
    private Instant lastMaintenance;

    DatabaseCapture(String path, ObjectStore store, Admin admin, SlateDbSourceConfig config, String connectorName,
                    Map<String, ?> storedOffset, CaptureMetrics metrics, Clock clock) {
        this.path = path;
        this.store = store;
        this.admin = admin;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.mergeOperator = config.newMergeOperator();
        this.newestSeq = new NewestSeqProbe(path, store, admin, clock);
        this.records = new ChangeRecords(SourceOffsets.partition(config.store(), path), config.topicFor(path));
        this.slot = config.retentionEnabled()
                ? new RetentionSlot(admin, connectorName, config.retentionMaxLag()) : null;
        this.checkpointName = RetentionSlot.snapshotCheckpointName(connectorName);
        this.stored = storedOffset == null ? null : SourceOffsets.parse(storedOffset);
        this.lastMaintenance = clock.instant();
    }

    String path() {
        return path;
    }

    /**
     * The next records: up to about {@code max} (a WAL file is never split), or none when there is
     * nothing new (or no database yet).
     *
     * @throws ConnectException when the WAL needed is gone and the policy is {@code fail}, or the database
     *                          cannot be read
     */
    List<SourceRecord> poll(int max) {
        try {
            maintainIfDue();
            if (!started) {
                if (admin.readManifest().isEmpty()) {
                    return List.of(); // no database yet: look again next poll
                }
                // Started before start() runs: a gap it meets is handled by the policy, not by starting again.
                started = true;
                start();
            }
            return snapshot != null ? pollSnapshot(max) : pollStream(max);
        } catch (WalTruncatedException e) {
            onGap(e);
            return List.of();
        } catch (SlateDbException e) {
            if (e.kind() == ErrorKind.INVALID && snapshot != null && mergeOperator == null) {
                throw new ConnectException("database " + path + ": the snapshot met a key whose newest rows are merge "
                        + "operands (" + e.getMessage() + "); set " + SlateDbSourceConfig.MERGE_OPERATOR_CLASS
                        + " to the database's merge operator class, or start from latest or earliest", e);
            }
            throw new ConnectException("reading database " + path + " failed: " + e.getMessage(), e);
        }
    }

    private void start() {
        Object position = stored;
        stored = null;
        if (position instanceof StreamPosition s) {
            startStream(s);
        } else if (position instanceof SnapshotPosition s) {
            Optional<SnapshotRun> resumed = SnapshotRun.resume(path, store, s, mergeOperator);
            if (resumed.isPresent()) {
                log.info("Database {}: resuming the snapshot at checkpoint {} after the last key delivered", path,
                        s.checkpoint());
                holdSlot(s.streamStart().walId());
                enterSnapshot(resumed.get());
            } else {
                log.warn("Database {}: the checkpoint {} of the interrupted snapshot is gone (it expired after {}); "
                        + "taking a new snapshot", path, s.checkpoint(), config.retentionMaxLag());
                beginSnapshot(s.minSeq());
            }
        } else {
            StartFrom from = config.startFrom();
            switch (from) {
                case SNAPSHOT -> beginSnapshot(0);
                case LATEST -> {
                    // After the newest WAL file stored now: every write acknowledged before the start is older.
                    long next = admin.walRange().map(range -> range.newestWalId() + 1)
                            .orElseGet(() -> admin.readManifest().orElseThrow().manifest().nextWalSstId());
                    startStream(new StreamPosition(next, 0));
                }
                case EARLIEST -> {
                    Optional<WalRange> range = admin.walRange();
                    startStream(new StreamPosition(range.map(WalRange::oldestWalId).orElse(1L), 0));
                }
                default -> throw new IllegalStateException(from.toString());
            }
        }
    }

    /** A new snapshot (full when {@code minSeq} is 0, else a catch-up above it), the slot at its position. */
    private void beginSnapshot(long minSeq) {
        SnapshotRun run = newSnapshot(minSeq);
        log.info("Database {}: {} at checkpoint {} (manifest {}, seq {}, WAL {})", path,
                minSeq == 0 ? "snapshot" : "catch-up above seq " + minSeq, run.position().checkpoint(),
                run.position().manifestId(), run.position().seq(), run.position().walId());
        enterSnapshot(run);
    }

    private SnapshotRun newSnapshot(long minSeq) {
        for (int attempt = 1; ; attempt++) {
            SnapshotRun run = SnapshotRun.begin(admin, path, store, checkpointName, config.retentionMaxLag(), minSeq,
                    mergeOperator);
            try {
                holdSlot(run.position().streamStart().walId());
                return run;
            } catch (WalTruncatedException e) {
                // The WAL after the new checkpoint was collected before the slot held it: take another.
                run.close();
                admin.deleteCheckpoint(run.position().checkpoint());
                if (attempt == SNAPSHOT_ATTEMPTS) {
                    throw new ConnectException("database " + path + ": the WAL after a new snapshot checkpoint was "
                            + "collected " + attempt + " times before it could be held", e);
                }
            }
        }
    }

    private void enterSnapshot(SnapshotRun run) {
        closeFeed();
        snapshot = run;
        metrics.snapshotRunning(true);
        metrics.position(run.position().seq());
    }

    private void startStream(StreamPosition position) {
        // Set first: a gap found while holding the slot catches up from here.
        lastSeq = position.seq();
        metrics.position(position.seq());
        holdSlot(position.walId());
        closeFeed();
        // The file at walId is read again: rows at or below seq are already delivered.
        feed = WalChangeFeed.builder(path, store)
                .withStartAfter(new DbPosition(0, position.seq(), position.walId() - 1))
                .withPollInterval(config.pollInterval())
                .build();
    }

    private void holdSlot(long walId) {
        if (slot != null) {
            slot.holdFrom(walId);
        }
    }

    private List<SourceRecord> pollSnapshot(int max) {
        SnapshotPosition base = snapshot.position();
        String phase = base.minSeq() == 0 ? "snapshot" : "catch-up";
        List<ChangeRow> rows = snapshot.next(max, max * SNAPSHOT_SCAN_FACTOR);
        List<SourceRecord> out = new ArrayList<>(rows.size());
        for (ChangeRow row : rows) {
            out.add(records.record(base.after(row.key()).toOffset(), row.key(), row.value(), operation(row),
                    row.seq(), row.createTs().orElse(-1), phase));
        }
        metrics.snapshotRecords(out.size());
        metrics.writerSeq(newestSeq.newestSeq());
        if (snapshot.done()) {
            SnapshotPosition finished = snapshot.position();
            snapshot.close();
            snapshot = null;
            metrics.snapshotRunning(false);
            finishedCheckpoint = finished.checkpoint();
            log.info("Database {}: {} done; streaming the WAL from file {} above seq {}", path, phase,
                    finished.streamStart().walId(), finished.seq());
            startStream(finished.streamStart());
        }
        return out;
    }

    private List<SourceRecord> pollStream(int max) {
        List<SourceRecord> out = new ArrayList<>();
        boolean caughtUp = false;
        while (out.size() < max && !caughtUp) {
            Optional<ChangeBatch> batch = feed.poll(Duration.ZERO);
            if (batch.isPresent()) {
                addBatch(batch.get(), out);
            } else {
                caughtUp = true;
            }
        }
        metrics.streamRecords(out.size());
        if (caughtUp) {
            metrics.caughtUp();
        } else {
            metrics.writerSeq(newestSeq.newestSeq());
        }
        return out;
    }

    /**
     * The records of one WAL file. Rows of a write batch share a sequence number: all but the batch's last
     * record carry the position before the batch, so a restart from a committed offset never skips the
     * rest of a batch (exactly-once mode commits a poll, and so a whole file, at once).
     */
    private void addBatch(ChangeBatch batch, List<SourceRecord> out) {
        List<ChangeRow> rows = batch.rows();
        int i = 0;
        while (i < rows.size()) {
            long seq = rows.get(i).seq();
            int end = i;
            while (end < rows.size() && rows.get(end).seq() == seq) {
                end++;
            }
            int last = -1;
            for (int k = i; k < end; k++) {
                if (!SinkOffsetKeys.isReserved(rows.get(k).key())) {
                    last = k;
                }
            }
            for (int k = i; k <= last; k++) {
                ChangeRow row = rows.get(k);
                if (SinkOffsetKeys.isReserved(row.key())) {
                    continue;
                }
                StreamPosition at = new StreamPosition(batch.walId(), k == last ? seq : lastSeq);
                out.add(records.record(at.toOffset(), row.key(), row.value(), operation(row), seq,
                        row.createTs().orElse(-1), null));
                metrics.delivered(seq, row.createTs().orElse(0));
            }
            lastSeq = seq;
            i = end;
        }
    }

    private static String operation(ChangeRow row) {
        return switch (row.kind()) {
            case PUT -> ChangeRecords.PUT;
            case DELETE -> ChangeRecords.DELETE;
            case MERGE -> ChangeRecords.MERGE;
        };
    }

    private void onGap(WalTruncatedException e) {
        String oldest = e.oldestAvailableWalId().isPresent()
                ? Long.toUnsignedString(e.oldestAvailableWalId().getAsLong()) : "none";
        // The files from the one needed up to the oldest still stored are gone; when the oldest stored is
        // not above the one needed, only that one is known to be missing.
        String missing = e.oldestAvailableWalId().isEmpty() ? e.walId() + " and on"
                : Long.compareUnsigned(e.oldestAvailableWalId().getAsLong(), e.walId()) > 0
                        ? e.walId() + ".." + (e.oldestAvailableWalId().getAsLong() - 1)
                        : Long.toUnsignedString(e.walId());
        GapPolicy policy = config.gapPolicy();
        metrics.gap();
        switch (policy) {
            case FAIL -> throw new ConnectException("database " + path + ": WAL files " + missing
                    + " were garbage-collected before they were read (oldest WAL file stored: " + oldest
                    + "); the changes they held cannot be delivered. Set " + SlateDbSourceConfig.WAL_GAP_POLICY
                    + " to resnapshot or catch-up, or reset the connector's offsets, to continue", e);
            case RESNAPSHOT -> {
                log.warn("Database {}: WAL files {} are gone (oldest stored: {}); taking a new snapshot", path,
                        missing, oldest);
                closeFeed();
                beginSnapshot(0);
            }
            case CATCH_UP -> {
                log.warn("Database {}: WAL files {} are gone (oldest stored: {}); catching up on the keys changed "
                        + "after seq {} (a delete whose tombstone compaction already dropped is not seen)", path, missing, oldest, lastSeq);
                closeFeed();
                beginSnapshot(Math.max(lastSeq, 1));
            }
            default -> throw new IllegalStateException(policy.toString());
        }
    }

    /** A record of this database reached Kafka (or was dropped: it is handled either way). */
    void acknowledge(Map<String, ?> offset) {
        Object position = SourceOffsets.parse(offset);
        long walId = position instanceof StreamPosition s ? s.walId() : ((SnapshotPosition) position).streamStart().walId();
        synchronized (acks) {
            if (Long.compareUnsigned(walId, ackedWalId) > 0) {
                ackedWalId = walId;
            }
            ackedStream |= position instanceof StreamPosition;
        }
    }

    /**
     * Connect has committed offsets: moves the slot to what was acknowledged before the previous commit,
     * deletes a finished snapshot's checkpoint once streaming after it is committed, and refreshes the
     * lifetimes of both.
     */
    void commit() {
        long walId;
        boolean stream;
        synchronized (acks) {
            walId = committableWalId;
            stream = committableStream;
            committableWalId = ackedWalId;
            committableStream = ackedStream;
        }
        maintain(walId, stream);
    }

    private void maintainIfDue() {
        Instant now = clock.instant();
        if (Duration.between(lastMaintenance, now).compareTo(config.retentionMaxLag().dividedBy(4)) >= 0) {
            long walId;
            boolean stream;
            synchronized (acks) {
                walId = committableWalId;
                stream = committableStream;
            }
            maintain(walId, stream);
        }
    }

    private synchronized void maintain(long committedWalId, boolean committedStream) {
        lastMaintenance = clock.instant();
        if (!started) {
            return;
        }
        try {
            if (slot != null) {
                slot.advanceTo(committedWalId == 0 ? slot.walId() : committedWalId);
            }
            UUID finished = finishedCheckpoint;
            if (finished != null && committedStream) {
                admin.deleteCheckpoint(finished);
                finishedCheckpoint = null;
            }
            SnapshotRun running = snapshot;
            if (running != null) {
                admin.refreshCheckpoint(running.position().checkpoint(), config.retentionMaxLag());
            }
        } catch (SlateDbException e) {
            // The next commit tries again; the lifetimes leave room for many attempts.
            log.warn("Database {}: moving the retention slot or refreshing the snapshot checkpoint failed: {}", path,
                    e.getMessage());
        }
    }

    private void closeFeed() {
        if (feed != null) {
            feed.close();
            feed = null;
        }
    }

    @Override
    public void close() {
        closeFeed();
        if (snapshot != null) {
            snapshot.close();
            snapshot = null;
        }
        admin.close();
    }
}
