/**
 * The engine's metrics: the {@link io.slatedb.metrics.MetricRegistry} a database publishes counters,
 * gauges and timers to, and the instruments themselves. Public API: integrations implement the
 * registry to bridge the metrics into their own systems.
 */
package io.slatedb.metrics;
