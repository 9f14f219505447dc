/**
 * The {@code slatedb} command line ({@link io.slatedb.cli.SlateDbCli}): picocli commands that read,
 * write, inspect and benchmark a SlateDB database through the engine's object stores and codecs.
 * Each command class parses its options and orchestrates; rendering lives in the {@code *Text} and
 * {@code *Json} classes. The data commands open the database through {@code OpenDatabase}; the
 * {@code bench} command runs {@code BenchRunner} on {@code BenchEngine}s (this engine and RocksDB)
 * and the Rust SlateDB through a Node script ({@code RustSlateDbBench}).
 */
package io.slatedb.cli;
