/**
 * What the SlateDB Kafka Connect connectors share: the configuration that names a database and passes
 * engine settings ({@link io.slatedb.connect.StoreConfig}, {@link io.slatedb.connect.EngineSettingsConfig}),
 * the reserved key space where the sink keeps its Kafka offsets ({@link io.slatedb.connect.SinkOffsetKeys}),
 * and engine metrics published as Connect plugin metrics ({@link io.slatedb.connect.PluginMetricRegistry}).
 */
package io.slatedb.connect;
