package io.slatedb.store;

import io.slatedb.store.FaultInjectingObjectStore.Operation;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * When a {@link FaultInjectingObjectStore} injects a {@link Fault}: for which operations and paths,
 * how many times, and with what probability. Start with {@link #on} and narrow it with the
 * {@code with}/{@code for} methods; a rule fires on every matching call unless told otherwise.
 *
 * @param operations  the operations the rule applies to
 * @param paths       which paths it applies to (for a copy, the target; for a list, the prefix)
 * @param fault       what happens to a call the rule picks
 * @param times       how many calls the rule picks at most; {@link #UNLIMITED} for no bound
 * @param probability the chance that a matching call (while the budget lasts) is picked, in (0, 1]
 */
public record FaultRule(Set<Operation> operations, Predicate<String> paths, Fault fault, long times,
                        double probability) {

    /** The budget of a rule that never runs out. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    public FaultRule {
        Objects.requireNonNull(operations, "operations");
        if (operations.isEmpty()) {
            throw new IllegalArgumentException("a fault rule needs at least one operation");
        }
        operations = Set.copyOf(operations);
        Objects.requireNonNull(paths, "paths");
        Objects.requireNonNull(fault, "fault");
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1: " + times);
        }
        if (!(probability > 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be in (0, 1]: " + probability);
        }
    }

    /** A rule injecting {@code fault} into every call of {@code operation}. */
    public static FaultRule on(Operation operation, Fault fault) {
        return new FaultRule(EnumSet.of(operation), path -> true, fault, UNLIMITED, 1.0);
    }

    /** A rule injecting {@code fault} into every call of any of {@code operations}. */
    public static FaultRule on(Set<Operation> operations, Fault fault) {
        return new FaultRule(operations, path -> true, fault, UNLIMITED, 1.0);
    }

    /** A rule injecting {@code fault} into every call of every operation. */
    public static FaultRule onEveryOperation(Fault fault) {
        return on(EnumSet.allOf(Operation.class), fault);
    }

    /** This rule, for the paths {@code predicate} accepts. */
    public FaultRule forPaths(Predicate<String> predicate) {
        return new FaultRule(operations, predicate, fault, times, probability);
    }

    /** This rule, for {@code path} only. */
    public FaultRule forPath(String path) {
        Objects.requireNonNull(path, "path");
        return forPaths(path::equals);
    }

    /** This rule, firing on the first matching call only. */
    public FaultRule once() {
        return times(1);
    }

    /** This rule, firing on at most {@code n} calls. */
    public FaultRule times(long n) {
        return new FaultRule(operations, paths, fault, n, probability);
    }

    /** This rule, firing on every matching call. */
    public FaultRule always() {
        return times(UNLIMITED);
    }

    /** This rule, picking each matching call with probability {@code p} (from the store's seeded random). */
    public FaultRule withProbability(double p) {
        return new FaultRule(operations, paths, fault, times, p);
    }

    boolean matches(Operation operation, String path) {
        return operations.contains(operation) && paths.test(path);
    }
}
