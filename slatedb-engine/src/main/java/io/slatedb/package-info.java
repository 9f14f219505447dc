/**
 * The public API of SlateDB for the JVM.
 *
 * <p>Everything users program against lives in this package and in {@link io.slatedb.store}
 * (object stores). Every other package under {@code io.slatedb} is internal: its types may change
 * in any release.
 */
package io.slatedb;
