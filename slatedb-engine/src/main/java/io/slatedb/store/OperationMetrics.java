package io.slatedb.store;

import io.slatedb.metrics.Counter;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.metrics.Timer;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The instruments of one kind of object-store operation ({@code put}, {@code get}, ...): requests,
 * errors and latency, registered once as {@code object_store.<op>.requests}, {@code .errors} and
 * {@code .latency}. {@link InstrumentedObjectStore} keeps one per operation.
 */
final class OperationMetrics {

    private final Counter requests;
    private final Counter errors;
    private final Timer latency;
    private final LongSupplier nanoTime;

    OperationMetrics(MetricRegistry registry, String operation, LongSupplier nanoTime) {
        String prefix = "object_store." + operation;
        this.requests = registry.counter(prefix + ".requests", operation + " requests sent to the object store");
        this.errors = registry.counter(prefix + ".errors", operation + " requests that failed");
        this.latency = registry.timer(prefix + ".latency",
                "time from issuing a " + operation + " request to its outcome, success or failure");
        this.nanoTime = nanoTime;
    }

    /**
     * Makes {@code call} and records it. The future returned completes with exactly the value or error
     * of the call's future (no {@code CompletionException} wrapper added, as the store contract asks),
     * after the metrics are recorded and {@code onSuccess} has seen the value, so that whoever waits
     * for the outcome also sees it counted. A call that throws instead of returning a future is counted
     * as a failed request and the exception passes on.
     */
    <T> CompletableFuture<T> record(Supplier<CompletableFuture<T>> call, Consumer<? super T> onSuccess) {
        requests.increment();
        long start = nanoTime.getAsLong();
        CompletableFuture<T> outcome;
        try {
            outcome = call.get();
        } catch (RuntimeException | Error e) {
            finish(start, false);
            throw e;
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        outcome.whenComplete((value, error) -> {
            try {
                finish(start, error == null);
                if (error == null) {
                    onSuccess.accept(value);
                }
            } finally {
                // Even if a metric bridge throws, the caller gets the store's answer.
                if (error == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(error);
                }
            }
        });
        return result;
    }

    /**
     * Makes {@code call}, which answers on the calling thread, and records it as {@link #record} records
     * a call answering with a future: a call that throws is a failed request.
     */
    <T> T recordNow(Supplier<T> call, Consumer<? super T> onSuccess) {
        requests.increment();
        long start = nanoTime.getAsLong();
        T value;
        try {
            value = call.get();
        } catch (RuntimeException | Error e) {
            finish(start, false);
            throw e;
        }
        finish(start, true);
        onSuccess.accept(value);
        return value;
    }

    private void finish(long startNanos, boolean succeeded) {
        latency.record(Math.max(0, nanoTime.getAsLong() - startNanos));
        if (!succeeded) {
            errors.increment();
        }
    }
}
