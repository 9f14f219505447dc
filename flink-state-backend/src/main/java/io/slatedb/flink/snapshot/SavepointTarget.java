package io.slatedb.flink.snapshot;

import io.slatedb.MergeOperator;
import org.apache.flink.annotation.Internal;

import java.util.function.LongFunction;

/**
 * Where and how a subtask's part of a NATIVE savepoint is made.
 *
 * @param path the path of the savepoint's database for a Flink checkpoint id (a new one each time)
 * @param copy          true for a detached copy with SSTs of its own, false for a pinned clone
 * @param mergeOperator the database's merge operator, which a copy reads merged rows with
 */
@Internal
public record SavepointTarget(LongFunction<String> path, boolean copy, MergeOperator mergeOperator) {
}
