/**
 * The {@code slatedb} command line ({@link io.slatedb.cli.SlateDbCli}): picocli commands that inspect a
 * SlateDB database through the engine's object stores and codecs. Each command class parses its
 * options and orchestrates; rendering lives in the {@code *Text} and {@code *Json} classes.
 */
package io.slatedb.cli;
