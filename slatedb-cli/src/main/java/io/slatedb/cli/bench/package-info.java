/**
 * The {@code slatedb bench} command ({@link io.slatedb.cli.bench.BenchCommand}): {@code BenchRunner} runs
 * a workload on {@code BenchEngine}s (this engine and RocksDB, through rocksdbjni) and on the Rust
 * SlateDB through a Node script ({@code RustSlateDbBench}). It uses the command line's shared options,
 * JSON and table rendering; the rest of the command line uses nothing of it but the command class.
 */
package io.slatedb.cli.bench;
