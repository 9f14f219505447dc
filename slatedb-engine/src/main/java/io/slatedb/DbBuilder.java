package io.slatedb;

import io.slatedb.db.DbCore;
import io.slatedb.format.DbLayout;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.metrics.SimpleMetricRegistry;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.RetryPolicy;
import io.slatedb.store.RetryingObjectStore;

import java.time.Clock;
import java.util.Objects;

/**
 * Opens a {@link Db} with non-default options: {@code Db.builder(path, store).withSettings(s).build()}.
 * Not thread-safe; build once.
 */
public final class DbBuilder {
    private final String path;
    private final ObjectStore store;
    private Settings settings = Settings.DEFAULT;
    private MetricRegistry metrics;
    private Clock clock = Clock.systemUTC();
    private SharedResources shared;
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private MergeOperator mergeOperator;

    DbBuilder(String path, ObjectStore store) {
        this.path = DbLayout.of(path).root(); // refuses what is not a database path
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The settings to run with; default {@link Settings#DEFAULT}. */
    public DbBuilder withSettings(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /**
     * Where the database publishes its metrics; default a new {@link SimpleMetricRegistry} of its own,
     * read through {@link Db#metrics()}.
     */
    public DbBuilder withMetrics(MetricRegistry metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        return this;
    }

    /**
     * The wall clock that stamps writes with their creation time (and so decides when values with a
     * time to live expire); default the system clock in UTC. Tests use a controlled clock.
     */
    public DbBuilder withClock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Runs the database, its embedded compactor and garbage collector on {@code resources}' threads and
     * caches rather than its own (the settings' cache budgets are then not used); its store's retries wait
     * on their retry timer. Closing the database leaves them running.
     */
    public DbBuilder withResources(SharedResources resources) {
        this.shared = Objects.requireNonNull(resources, "resources");
        return this;
    }

    /**
     * How transient object-store failures are retried; default {@link RetryPolicy#DEFAULT}. The setting
     * {@code object_store_max_retries}, when set, limits its attempts (see {@link Settings#retryPolicy}).
     * A store that already retries (a {@link RetryingObjectStore}) is not retried again.
     */
    public DbBuilder withRetryPolicy(RetryPolicy retryPolicy) {
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        return this;
    }

    /**
     * The operator that folds merge operands ({@link Db#merge}) on reads, writes and in the embedded
     * compactor; default none, and then merges fail with kind {@link ErrorKind#INVALID}, as do reads of
     * keys that hold merge operands.
     */
    public DbBuilder withMergeOperator(MergeOperator mergeOperator) {
        this.mergeOperator = Objects.requireNonNull(mergeOperator, "mergeOperator");
        return this;
    }

    /**
     * Opens the database as its writer, creating it when the path holds none, and fencing any writer
     * that had it open.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} for a database this engine cannot open
     *                          (an unfinished clone), {@link ErrorKind#DATA} for corrupt or missing
     *                          objects, {@link ErrorKind#UNAVAILABLE} when the store fails
     */
    public Db build() {
        MetricRegistry registry = metrics != null ? metrics : new SimpleMetricRegistry();
        HandleLease lease = HandleLease.take(shared);
        try {
            return new Db(DbCore.open(path, store, settings, registry, clock, retryPolicy, mergeOperator,
                    lease.threads(), lease.caches()), registry, lease);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }
}
