/**
 * A Flink 2.3 state backend on SlateDB: {@link io.slatedb.flink.SlateDbStateBackend}, selected with
 * {@code state.backend.type: io.slatedb.flink.SlateDbStateBackendFactory} and configured through
 * {@link io.slatedb.flink.SlateDbOptions}. Every other package of this module is internal.
 */
package io.slatedb.flink;
