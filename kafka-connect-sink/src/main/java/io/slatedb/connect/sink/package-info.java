/**
 * The SlateDB Kafka Connect sink: {@link io.slatedb.connect.sink.SlateDbSinkConnector}, its task
 * {@link io.slatedb.connect.sink.SlateDbSinkTask} and its settings {@link io.slatedb.connect.sink.SlateDbSinkConfig}.
 * Records become keys and values of SlateDB databases; the Kafka offsets applied are stored in the same atomic
 * write batches, in the reserved key space of {@link io.slatedb.connect.SinkOffsetKeys}.
 */
package io.slatedb.connect.sink;
