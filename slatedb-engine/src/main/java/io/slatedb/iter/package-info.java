/**
 * Combinators over asynchronous {@link io.slatedb.sst.RowIterator}s that the read path, and later
 * flushes and compaction, are built from: a k-way merge of sources in precedence order, the filter
 * that turns versions into the visible row per key (folding merge operands with the merge operator),
 * a walk over the SSTs of a sorted run, and an iterator opened on first use.
 *
 * <p>Iterators here never recurse per row on futures that are already complete: they loop while
 * results are at hand and chain a callback only when they have to wait, so long runs of cached rows
 * do not grow the stack.
 */
package io.slatedb.iter;
