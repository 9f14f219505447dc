package io.slatedb.interop;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The extension behind {@link RequiresNode}: disables the tests, with the reason, when {@link NodeRuntime}
 * finds no usable Node; otherwise installs the harness before each test ({@link RustSlateDb#get()}, a no-op
 * after the first time). Installing here, in an extension callback, keeps {@code npm ci} (bounded by its own
 * 5-minute limit) outside the per-test timeout, which then only has to cover the test's own jobs.
 */
public final class RustSlateDbExtension implements ExecutionCondition, BeforeEachCallback {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        NodeRuntime runtime = NodeRuntime.detect();
        return runtime.unavailableReason()
                .map(ConditionEvaluationResult::disabled)
                .orElseGet(() -> ConditionEvaluationResult.enabled("node " + runtime.nodeVersion() + " at "
                        + runtime.node()));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        RustSlateDb.get();
    }
}
