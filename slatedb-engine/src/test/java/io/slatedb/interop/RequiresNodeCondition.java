package io.slatedb.interop;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Disables {@link RequiresNode} tests, with the reason, when {@link NodeRuntime} finds no usable Node. */
public final class RequiresNodeCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        NodeRuntime runtime = NodeRuntime.detect();
        return runtime.unavailableReason()
                .map(ConditionEvaluationResult::disabled)
                .orElseGet(() -> ConditionEvaluationResult.enabled("node " + runtime.nodeVersion() + " at "
                        + runtime.node()));
    }
}
