package io.slatedb;

import io.slatedb.format.DbLayout;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestStore;
import io.slatedb.metadata.SequencedObjectStore;
import io.slatedb.metadata.Versioned;
import io.slatedb.metrics.Counter;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.metrics.SimpleMetricRegistry;
import io.slatedb.metrics.SlateDbMetricNames;
import io.slatedb.sst.RowEntry;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.RetryPolicy;
import io.slatedb.store.RetryingObjectStore;
import io.slatedb.util.StoreStack;
import io.slatedb.store.DelayScheduler;
import io.slatedb.util.Futures;
import io.slatedb.util.SharedThreads;
import io.slatedb.wal.WalFile;
import io.slatedb.wal.WalObjects;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A change feed of a database: its WAL files one after another from a given id on, each as one
 * {@link ChangeBatch} with every row it holds (SlateDB's {@code SlateDbWalReader} semantics), for
 * change-data-capture consumers such as a Kafka Connect source. It reads only; any number of feeds may
 * run beside the writer.
 *
 * <p>When the feed has caught up with the writer, {@link #next(Duration)} waits, checking for the next
 * file every {@link Builder#withPollInterval(Duration) poll interval}, up to the caller's timeout. A file the
 * manifest says must exist but that is gone (garbage-collected after the writer flushed it to L0, or
 * deleted) fails the feed with a {@link WalTruncatedException} (kind {@link ErrorKind#DATA}), which names
 * the oldest WAL id still stored: rows are never skipped, and the consumer must take a new snapshot.
 * {@link #walRange()} tells which WAL ids are stored; a {@link WalRetention} keeps them stored from the
 * consumer's position on. Files also fail the feed with kind
 * {@link ErrorKind#INTERNAL} when their sequence numbers go backwards.
 *
 * <p>Calls to {@link #next} must not overlap. Close the feed when done; the store stays open.
 */
public final class WalChangeFeed implements AutoCloseable {
    /** SlateDB's hard-coded wait between looks for the next WAL file. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

    private final String path;
    private final DbLayout layout;
    private final ObjectStore store;
    private final SequencedObjectStore<Manifest> manifests;
    private final DelayScheduler waits;
    private final boolean ownsWaits;
    private final StoreStack stores;
    private final Duration pollInterval;
    private final HandleLease lease;
    private final MetricRegistry registry;
    private final Counter batches;
    private final Counter rowsDelivered;
    private final Counter emptyPolls;
    /** The creation time of the newest row delivered (ms since the epoch), or 0. */
    private volatile long newestCreateTs;
    /** Whether the last look found no newer WAL file. */
    private volatile boolean caughtUp;
    private final AtomicBoolean busy = new AtomicBoolean();
    /** Rows at or below this sequence number are not delivered (a snapshot holds them); 0: none skipped. */
    private final long skipThroughSeq;
    private volatile long nextWalId;
    private volatile long lastSeq;
    private volatile boolean seenRows;
    private volatile boolean closed;

    private WalChangeFeed(Builder b, HandleLease lease) {
        this.path = b.path;
        this.layout = DbLayout.of(b.path);
        this.lease = lease;
        SharedThreads shared = lease.threads();
        this.stores = lease.storeStack("slatedb-feed-" + b.path, b.retryPolicy, null);
        this.store = stores.wrap(b.store);
        this.manifests = ManifestStore.sequence(store, layout, true);
        this.ownsWaits = b.waits == null;
        this.waits = b.waits != null ? b.waits
                : shared != null ? shared.retryTimer() : DelayScheduler.create("slatedb-feed-" + b.path + "-wait");
        this.pollInterval = b.pollInterval;
        this.nextWalId = b.startAt;
        this.skipThroughSeq = b.skipThroughSeq;
        this.registry = b.metrics != null ? b.metrics : new SimpleMetricRegistry();
        this.batches = registry.counter(SlateDbMetricNames.WalChangeFeed.BATCHES, "batches (WAL files) delivered");
        this.rowsDelivered = registry.counter(SlateDbMetricNames.WalChangeFeed.ROWS, "rows delivered");
        this.emptyPolls = registry.counter(SlateDbMetricNames.WalChangeFeed.EMPTY_POLLS, "looks for the next WAL file that found none");
        registry.gauge(SlateDbMetricNames.WalChangeFeed.NEXT_WAL_ID, "the id of the next WAL file to deliver", () -> nextWalId);
        registry.gauge(SlateDbMetricNames.WalChangeFeed.LAG_MILLIS, "now minus the creation time of the newest row delivered; 0 when caught up",
                this::lagMillis);
    }

    private long lagMillis() {
        long newest = newestCreateTs;
        return caughtUp || newest == 0 ? 0 : Math.max(0, System.currentTimeMillis() - newest);
    }

    /**
     * A builder for a feed of the database at {@code path} (a database path, see {@link Db#open}) in {@code store}.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when {@code path} is not a database path
     */
    public static Builder builder(String path, ObjectStore store) {
        return new Builder(path, store);
    }

    /** Builds a {@link WalChangeFeed}. Not thread-safe; build once. */
    public static final class Builder {
        private final String path;
        private final ObjectStore store;
        private long startAt = 1;
        private long skipThroughSeq;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private DelayScheduler waits;
        private SharedResources shared;
        private MetricRegistry metrics;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;

        private Builder(String path, ObjectStore store) {
            this.path = DbLayout.of(path).root(); // refuses what is not a database path
            this.store = Objects.requireNonNull(store, "store");
        }

        /**
         * The id of the first WAL file to deliver (unsigned); default 1, the first file a database writes.
         * To resume, pass the last consumed {@link ChangeBatch#walId()} + 1. Replaces an earlier
         * {@link #withStartAfter(DbPosition)}: no row is left out.
         *
         * @throws SlateDbException of kind {@link ErrorKind#INVALID} for 0 (WAL ids start at 1)
         */
        public Builder withStartAt(long walId) {
            if (walId == 0) {
                throw new SlateDbException(ErrorKind.INVALID, "WAL ids start at 1");
            }
            this.startAt = walId;
            this.skipThroughSeq = 0;
            return this;
        }

        /**
         * Continues after a snapshot at {@code position} (a {@link DbReaderSnapshot#position()} or
         * {@link Admin#checkpointPosition}): starts at WAL file {@code position.walId() + 1} and leaves
         * out of the batches every row at or below {@code position.seq()}, which the snapshot already
         * holds. The feed then delivers exactly the changes after the snapshot. Batches keep their
         * {@link ChangeBatch#walId()}, so a consumer that saves its place resumes with
         * {@link #withStartAt(long)} as usual, or, to stay exact when it restarts close to the snapshot,
         * with {@code withStartAfter(new DbPosition(0, highest seq handled (at least the snapshot's), walId))}.
         */
        public Builder withStartAfter(DbPosition position) {
            Objects.requireNonNull(position, "position");
            this.startAt = position.nextWalId();
            this.skipThroughSeq = position.seq();
            return this;
        }

        /** How long to wait between looks for the next file once caught up; default 1 s. Must be positive. */
        public Builder withPollInterval(Duration interval) {
            this.pollInterval = SettingChecks.positive("poll_interval", interval);
            return this;
        }

        /**
         * How transient object-store failures are retried; default {@link RetryPolicy#DEFAULT}. A store
         * that already retries (a {@link RetryingObjectStore}) is not retried again.
         */
        public Builder withRetryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /** The source of waits and timeouts; tests pass a virtual one. The feed does not close it. */
        Builder waits(DelayScheduler scheduler) {
            this.waits = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Where the feed publishes its metrics (names in {@link SlateDbMetricNames.WalChangeFeed});
         * default a new {@link SimpleMetricRegistry} of its own, read through {@link WalChangeFeed#metrics()}.
         */
        public Builder withMetrics(MetricRegistry metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * Waits (for the next WAL file, and between retries) on {@code resources}' timer rather than
         * timer threads of the feed's own. Closing the feed leaves them running.
         */
        public Builder withResources(SharedResources resources) {
            this.shared = Objects.requireNonNull(resources, "resources");
            return this;
        }

        /** The feed; touches no object until {@link WalChangeFeed#next} is called. */
        public WalChangeFeed build() {
            return new WalChangeFeed(this, HandleLease.take(shared));
        }
    }

    /**
     * The next WAL file's batch, or empty when none appeared within {@code timeout} (zero: look once).
     *
     * @throws SlateDbException (through the future) a {@link WalTruncatedException} of kind
     *                          {@link ErrorKind#DATA} when the next file was garbage-collected; kind
     *                          {@link ErrorKind#INVALID} when a call is already in progress; kind
     *                          {@link ErrorKind#CLOSED} after close
     */
    public CompletableFuture<Optional<ChangeBatch>> next(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (closed) {
            return CompletableFuture.failedFuture(SlateDbException.closed(CloseReason.CLEAN,
                    "the change feed of " + path + " is closed"));
        }
        if (!busy.compareAndSet(false, true)) {
            return CompletableFuture.failedFuture(new SlateDbException(ErrorKind.INVALID,
                    "a call to next is already in progress"));
        }
        long deadline = waits.nanoTime() + Math.max(0, timeout.toNanos());
        CompletableFuture<Optional<ChangeBatch>> result;
        try {
            result = attempt(deadline);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((batch, error) -> busy.set(false));
    }

    /** {@link #next(Duration)}, blocking: the next batch, or empty after {@code timeout}. */
    public Optional<ChangeBatch> poll(Duration timeout) {
        return Futures.join(next(timeout));
    }

    private CompletableFuture<Optional<ChangeBatch>> attempt(long deadline) {
        long id = nextWalId;
        return WalObjects.read(store, layout, id).thenCompose(file -> {
            if (file.isPresent()) {
                return CompletableFuture.completedFuture(Optional.of(consume(file.get())));
            }
            emptyPolls.increment();
            caughtUp = true;
            return manifests.readLatest().thenCompose(manifest -> {
                if (writtenBefore(id, manifest)) {
                    return readWrittenFile(id);
                }
                long left = deadline - waits.nanoTime();
                if (left <= 0 || closed) {
                    return CompletableFuture.completedFuture(Optional.<ChangeBatch>empty());
                }
                Duration wait = Duration.ofNanos(Math.min(left, pollInterval.toNanos()));
                return waits.after(wait).handle((unused, failure) -> failure).thenCompose(failure -> {
                    if (failure == null) {
                        return attempt(deadline);
                    }
                    // The scheduler stops when the feed closes: the wait ends without a batch.
                    return closed ? CompletableFuture.completedFuture(Optional.<ChangeBatch>empty())
                            : CompletableFuture.failedFuture(Futures.unwrap(failure));
                });
            });
        });
    }

    /** Whether {@code manifest} says file {@code id} was written: it lies below the next WAL id. */
    private boolean writtenBefore(long id, Optional<Versioned<Manifest>> manifest) {
        if (manifest.isEmpty()) {
            throw new SlateDbException(ErrorKind.DATA, "no database at " + path + ": no manifest exists");
        }
        return Long.compareUnsigned(id, manifest.get().value().core().nextWalSstId()) < 0;
    }

    /**
     * Reads file {@code id}, which a manifest read after the look that missed it says was written. The
     * writer may have stored it, and published an L0 flush past it, between that look and the manifest
     * read, so only a look after the manifest read tells: the file is there, or it was collected.
     */
    private CompletableFuture<Optional<ChangeBatch>> readWrittenFile(long id) {
        return WalObjects.read(store, layout, id).thenCompose(file -> {
            if (file.isPresent()) {
                return CompletableFuture.completedFuture(Optional.of(consume(file.get())));
            }
            return WalObjects.range(store, layout).<Optional<ChangeBatch>>thenApply(range -> {
                throw new WalTruncatedException(id, layout.walSstPath(id), range.isEmpty()
                        ? OptionalLong.empty() : OptionalLong.of(range.get().oldestWalId()));
            });
        });
    }

    private ChangeBatch consume(WalFile file) {
        List<ChangeRow> rows = new ArrayList<>(file.rows().size());
        long previous = lastSeq;
        boolean any = seenRows;
        boolean first = true;
        for (RowEntry row : file.rows()) {
            // Rows of one file may share a sequence number (one write batch); across files it must grow.
            boolean backwards = any && (first ? Long.compareUnsigned(row.seq(), previous) <= 0
                    : Long.compareUnsigned(row.seq(), previous) < 0);
            first = false;
            if (backwards) {
                throw new SlateDbException(ErrorKind.INTERNAL, "WAL file " + layout.walSstPath(file.id())
                        + " goes back in sequence: " + Long.toUnsignedString(row.seq()) + " after "
                        + Long.toUnsignedString(previous));
            }
            if (Long.compareUnsigned(row.seq(), skipThroughSeq) > 0) {
                rows.add(ChangeRow.of(row));
            }
            previous = row.seq();
            any = true;
        }
        lastSeq = previous;
        seenRows = any;
        nextWalId = file.id() + 1;
        batches.increment();
        rowsDelivered.add(rows.size());
        for (ChangeRow row : rows) {
            if (row.createTs().isPresent()) {
                newestCreateTs = Math.max(newestCreateTs, row.createTs().getAsLong());
            }
        }
        caughtUp = false;
        return new ChangeBatch(file.id(), rows);
    }

    /** The metrics registry this feed publishes to (names in {@link SlateDbMetricNames.WalChangeFeed}). */
    public MetricRegistry metrics() {
        return registry;
    }

    /**
     * The oldest and newest WAL ids the database stores now (a listing of its {@code wal/} directory), or
     * empty when it stores none. A feed can start anywhere in the range; below it, files are gone.
     *
     * @throws SlateDbException of kind {@link ErrorKind#UNAVAILABLE} when the store fails
     */
    public Optional<WalRange> walRange() {
        return Futures.join(WalObjects.range(store, layout));
    }

    /** The id of the next WAL file the feed delivers. */
    public long nextWalId() {
        return nextWalId;
    }

    /** Stops the feed: a wait in progress ends with an empty result, later calls fail. Idempotent. */
    @Override
    public void close() {
        closed = true;
        if (ownsWaits) {
            waits.close();
        }
        try {
            stores.close();
        } finally {
            lease.close();
        }
    }
}
