package io.slatedb.connect.source;

import io.slatedb.Admin;
import io.slatedb.ChangeBatch;
import io.slatedb.ChangeRow;
import io.slatedb.SlateDbException;
import io.slatedb.WalChangeFeed;
import io.slatedb.WalRange;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Finds the sequence number of the newest write in a database's WAL, for the lag metric: a listing of the
 * WAL and a read of its newest file, at most once per {@link #INTERVAL} (a task that has caught up needs
 * none: its lag is zero). A failed probe keeps the previous answer: the metric never fails the task.
 */
final class NewestSeqProbe {

    private static final Logger log = LoggerFactory.getLogger(NewestSeqProbe.class);
    /** How often a task that is behind looks: a LIST and a GET each time. */
    static final Duration INTERVAL = Duration.ofSeconds(5);
    /** A probe tries once: the next one comes soon enough. */
    private static final RetryPolicy ONE_ATTEMPT = RetryPolicy.DEFAULT.withMaxAttempts(1);

    private final String path;
    private final ObjectStore store;
    private final Admin admin;
    private final Clock clock;
    private Instant last;
    private long newestSeq;

    NewestSeqProbe(String path, ObjectStore store, Admin admin, Clock clock) {
        this.path = path;
        this.store = store;
        this.admin = admin;
        this.clock = clock;
    }

    /** The newest sequence number found so far (0: none yet), probing first when the last probe is old enough. */
    long newestSeq() {
        Instant now = clock.instant();
        if (last == null || Duration.between(last, now).compareTo(INTERVAL) >= 0) {
            last = now;
            try {
                probe().ifPresent(seq -> newestSeq = Math.max(newestSeq, seq));
            } catch (SlateDbException e) {
                log.debug("Database {}: probing the newest WAL file failed: {}", path, e.getMessage());
            }
        }
        return newestSeq;
    }

    private Optional<Long> probe() {
        Optional<WalRange> range = admin.walRange();
        if (range.isEmpty()) {
            return Optional.empty();
        }
        try (WalChangeFeed newest = WalChangeFeed.builder(path, store).withStartAt(range.get().newestWalId())
                .withRetryPolicy(ONE_ATTEMPT).build()) {
            Optional<ChangeBatch> batch = newest.poll(Duration.ZERO);
            List<ChangeRow> rows = batch.map(ChangeBatch::rows).orElse(List.of());
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(rows.size() - 1).seq());
        }
    }
}
