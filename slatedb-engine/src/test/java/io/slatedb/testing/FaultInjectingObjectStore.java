package io.slatedb.testing;

import io.slatedb.store.ByteRange;
import io.slatedb.store.DelayScheduler;
import io.slatedb.store.GetResult;
import io.slatedb.store.ListPage;
import io.slatedb.store.ObjectMetadata;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.PutMode;
import io.slatedb.store.PutOptions;
import io.slatedb.store.PutResult;
import io.slatedb.store.TransientObjectStoreException;
import io.slatedb.util.Futures;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Wraps a store and injects scripted faults into its calls, for testing how code above a store copes
 * with failures: errors, latency, hung requests, calls held until the test releases them, and writes
 * that happened although the caller saw an error. Faults are set with {@link #inject(FaultRule)}; the
 * first rule (in the order they were injected) that matches a call and picks it decides what happens
 * to that call, and calls no rule picks go to the wrapped store unchanged. Every call is recorded, faulted or not, in a log tests can read
 * with {@link #calls()}.
 *
 * <p>Waits (delays, hangs) run on a {@link DelayScheduler}, never on a sleeping thread; probabilities
 * come from a {@link Random} with a fixed seed, so a single-threaded test sees the same faults every
 * run. Thread-safe.
 */
public final class FaultInjectingObjectStore implements ObjectStore {

    /** The store operations, as rules and the call log name them. */
    public enum Operation { PUT, GET, HEAD, LIST, DELETE, COPY }

    /**
     * The kinds of call, one step finer than {@link Operation}: a put with a condition
     * ({@link PutMode#conditional()}) apart from a plain one, and a ranged get apart from a whole one.
     * Rules can pick calls by kind ({@link FaultRule#on(CallKind, Fault)}).
     */
    public enum CallKind {
        PUT(Operation.PUT), CONDITIONAL_PUT(Operation.PUT), GET(Operation.GET), RANGED_GET(Operation.GET),
        HEAD(Operation.HEAD), LIST(Operation.LIST), DELETE(Operation.DELETE), COPY(Operation.COPY);

        private final Operation operation;

        CallKind(Operation operation) {
            this.operation = operation;
        }

        /** The operation this kind of call is. */
        public Operation operation() {
            return operation;
        }

        /** Every kind of call of {@code operations}. */
        static Set<CallKind> of(Set<Operation> operations) {
            Set<CallKind> kinds = EnumSet.noneOf(CallKind.class);
            for (CallKind kind : values()) {
                if (operations.contains(kind.operation)) {
                    kinds.add(kind);
                }
            }
            return kinds;
        }
    }

    /**
     * One call made through the store: the operation and its path (for a copy, the target; for a list,
     * the prefix).
     */
    public record Call(Operation operation, String path) {
    }

    private final ObjectStore inner;
    private final DelayScheduler scheduler;
    private final boolean ownsScheduler;
    private final Random random;
    // Guarded by itself; small, and each call walks it once while holding the lock, so that counting
    // a rule's budget and drawing from the random are atomic and reproducible.
    private final List<InjectedFault> rules = new ArrayList<>();
    private final List<Call> calls = new ArrayList<>();
    // The kind of each call in calls, in the same order; guarded by calls.
    private final List<CallKind> callKinds = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Wraps {@code inner}, with waits on a scheduler of its own and a random seeded with 0. */
    public FaultInjectingObjectStore(ObjectStore inner) {
        this(inner, DelayScheduler.create("slatedb-fault-injection"), true, 0);
    }

    /**
     * Wraps {@code inner}, with waits on {@code scheduler} (which stays open when this store closes) and
     * probabilities drawn from a random seeded with {@code seed}.
     */
    public FaultInjectingObjectStore(ObjectStore inner, DelayScheduler scheduler, long seed) {
        this(inner, scheduler, false, seed);
    }

    private FaultInjectingObjectStore(ObjectStore inner, DelayScheduler scheduler, boolean ownsScheduler, long seed) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.ownsScheduler = ownsScheduler;
        this.random = new Random(seed);
    }

    /** Adds a rule after the existing ones and returns a handle to watch or remove it. */
    public InjectedFault inject(FaultRule rule) {
        InjectedFault injected = new InjectedFault(Objects.requireNonNull(rule, "rule"));
        synchronized (rules) {
            rules.add(injected);
        }
        return injected;
    }

    /** Removes every rule; later calls go to the wrapped store unchanged. */
    public void clearFaults() {
        synchronized (rules) {
            rules.clear();
        }
    }

    /** Every call made so far, in the order they were made. */
    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** The kind of every call made so far, in the order they were made. */
    public List<CallKind> callKinds() {
        synchronized (calls) {
            return List.copyOf(callKinds);
        }
    }

    /** The calls of {@code operation} made so far, in order. */
    public List<Call> calls(Operation operation) {
        return calls().stream().filter(call -> call.operation() == operation).toList();
    }

    /** Forgets the calls recorded so far. */
    public void clearCalls() {
        synchronized (calls) {
            calls.clear();
            callKinds.clear();
        }
    }

    @Override
    public CompletableFuture<PutResult> put(String path, byte[] data, PutOptions options) {
        CallKind kind = options.mode().conditional() ? CallKind.CONDITIONAL_PUT : CallKind.PUT;
        return intercept(kind, path, () -> inner.put(path, data, options));
    }

    @Override
    public CompletableFuture<GetResult> get(String path) {
        return intercept(CallKind.GET, path, () -> inner.get(path));
    }

    @Override
    public CompletableFuture<GetResult> get(String path, ByteRange range) {
        return intercept(CallKind.RANGED_GET, path, () -> inner.get(path, range));
    }

    @Override
    public CompletableFuture<ObjectMetadata> head(String path) {
        return intercept(CallKind.HEAD, path, () -> inner.head(path));
    }

    @Override
    public CompletableFuture<ListPage> list(String prefix, String startAfter, int maxKeys) {
        return intercept(CallKind.LIST, prefix, () -> inner.list(prefix, startAfter, maxKeys));
    }

    @Override
    public CompletableFuture<Void> delete(String path) {
        return intercept(CallKind.DELETE, path, () -> inner.delete(path));
    }

    @Override
    public CompletableFuture<Void> copy(String fromPath, String toPath) {
        return intercept(CallKind.COPY, toPath, () -> inner.copy(fromPath, toPath));
    }

    @Override
    public String describe() {
        return "faulty(" + inner.describe() + ")";
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                inner.close();
            } finally {
                if (ownsScheduler) {
                    scheduler.close();
                }
            }
        }
    }

    @Override
    public String toString() {
        return "FaultInjectingObjectStore[" + inner + "]";
    }

    private <T> CompletableFuture<T> intercept(CallKind kind, String path, Supplier<CompletableFuture<T>> call) {
        Operation operation = kind.operation();
        synchronized (calls) {
            calls.add(new Call(operation, path));
            callKinds.add(kind);
        }
        Fault fault = pick(kind, path);
        if (fault == null) {
            return invoke(call);
        }
        if (fault instanceof Fault.Fail fail) {
            return CompletableFuture.failedFuture(fail.error().apply(path));
        }
        if (fault instanceof Fault.Delay delay) {
            return scheduler.after(delay.duration()).thenCompose(unused -> invoke(call));
        }
        if (fault instanceof Fault.Hang hang) {
            return scheduler.after(hang.timeout()).thenCompose(unused -> CompletableFuture.failedFuture(
                    new TransientObjectStoreException(path, "injected hang: " + operation + " " + path
                            + " got no answer within " + hang.timeout(), null)));
        }
        if (fault instanceof Fault.Hold hold) {
            hold.reached().complete(path);
            return hold.released().thenCompose(unused -> invoke(call));
        }
        if (fault instanceof Fault.ApplyThenFail) {
            return invoke(call).handle((value, error) -> CompletableFuture.<T>failedFuture(
                    new TransientObjectStoreException(path, "injected lost response: " + operation + " " + path
                            + " reached the store, but its answer was lost",
                            error == null ? null : Futures.unwrap(error))))
                    .thenCompose(failed -> failed);
        }
        throw new IllegalStateException("unknown fault " + fault);
    }

    /** The fault for this call, or null; takes one from the budget of the rule that picks the call. */
    private Fault pick(CallKind kind, String path) {
        synchronized (rules) {
            for (InjectedFault rule : rules) {
                if (rule.remaining > 0 && rule.rule.matches(kind, path)
                        && (rule.rule.probability() >= 1.0 || random.nextDouble() < rule.rule.probability())) {
                    rule.remaining--;
                    rule.fired++;
                    return rule.rule.fault();
                }
            }
            return null;
        }
    }

    private static <T> CompletableFuture<T> invoke(Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A rule that was injected: how often it fired, and a way to take it out again. */
    public final class InjectedFault {
        private final FaultRule rule;
        // Both guarded by the store's rule list.
        private long remaining;
        private long fired;

        private InjectedFault(FaultRule rule) {
            this.rule = rule;
            this.remaining = rule.times();
        }

        /** The rule. */
        public FaultRule rule() {
            return rule;
        }

        /** How many calls this rule has picked so far. */
        public long fired() {
            synchronized (rules) {
                return fired;
            }
        }

        /** Whether the rule's budget is used up. */
        public boolean exhausted() {
            synchronized (rules) {
                return remaining == 0;
            }
        }

        /** Takes the rule out; calls it has already picked are not affected. */
        public void remove() {
            synchronized (rules) {
                rules.remove(this);
            }
        }
    }
}
