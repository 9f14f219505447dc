/**
 * The {@code slatedb} command line ({@link io.slatedb.cli.SlateDbCli}): picocli commands that read,
 * write, inspect and benchmark a SlateDB database through the engine's object stores and codecs.
 * Each command class parses its options and orchestrates; rendering lives in the {@code *Text} and
 * {@code *Json} classes. The data commands open the database through {@code OpenDatabase}. The
 * {@code bench} command and its machinery live in {@link io.slatedb.cli.bench}; this package knows
 * only its command class.
 */
package io.slatedb.cli;
