/**
 * The engine's metrics: the {@link io.slatedb.metrics.MetricRegistry} a database publishes counters,
 * gauges and timers to, and the instruments themselves. Public API: integrations implement the
 * registry to bridge the metrics into their own systems; {@link io.slatedb.metrics.SimpleMetricRegistry}
 * is the default, which keeps them in process and reads them all at once.
 */
package io.slatedb.metrics;
