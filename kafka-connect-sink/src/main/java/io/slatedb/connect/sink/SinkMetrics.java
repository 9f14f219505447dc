package io.slatedb.connect.sink;

import io.slatedb.metrics.Counter;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.metrics.Timer;

import java.util.function.LongSupplier;

/**
 * The sink's own metrics, published beside the engine's: with Kafka-style names (see
 * {@code PluginMetricRegistry}) they are {@code slatedb-sink-records-put}, {@code -records-deleted},
 * {@code -records-skipped}, {@code -tombstones-ignored}, {@code -records-reported}, {@code -batches},
 * {@code -bytes}, {@code -flush-count/-total-ms/-max-ms}, {@code -store-failures}, {@code -fenced} and the
 * gauge {@code -databases-open}.
 */
final class SinkMetrics {
    final Counter recordsPut;
    final Counter recordsDeleted;
    final Counter recordsSkipped;
    final Counter tombstonesIgnored;
    final Counter recordsReported;
    final Counter batches;
    final Counter bytes;
    final Timer flush;
    final Counter storeFailures;
    final Counter fenced;

    SinkMetrics(MetricRegistry registry, LongSupplier databasesOpen) {
        recordsPut = registry.counter("slatedb.sink.records_put", "records written as puts");
        recordsDeleted = registry.counter("slatedb.sink.records_deleted", "tombstones written as deletes");
        recordsSkipped = registry.counter("slatedb.sink.records_skipped",
                "redelivered records skipped because the database already holds them");
        tombstonesIgnored = registry.counter("slatedb.sink.tombstones_ignored",
                "tombstones skipped (tombstone.behavior=ignore)");
        recordsReported = registry.counter("slatedb.sink.records_reported",
                "bad records reported to the errant record reporter (dead letter queue)");
        batches = registry.counter("slatedb.sink.batches", "write batches written");
        bytes = registry.counter("slatedb.sink.bytes", "key and value bytes written");
        flush = registry.timer("slatedb.sink.flush", "WAL flushes of a commit");
        storeFailures = registry.counter("slatedb.sink.store_failures",
                "database handles dropped after a store failure");
        fenced = registry.counter("slatedb.sink.fenced", "database handles fenced by another writer");
        registry.gauge("slatedb.sink.databases_open", "databases the task has open", databasesOpen);
    }
}
