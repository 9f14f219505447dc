package io.slatedb.testing;

import io.slatedb.testing.FaultInjectingObjectStore.CallKind;
import io.slatedb.testing.FaultInjectingObjectStore.Operation;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * When a {@link FaultInjectingObjectStore} injects a {@link Fault}: for which kinds of call and paths,
 * how many times, and with what probability. Start with {@link #on} and narrow it with the
 * {@code with}/{@code for} methods; a rule fires on every matching call unless told otherwise.
 *
 * @param kinds       the kinds of call the rule applies to (a rule on an {@link Operation} applies to
 *                    every kind of call of it)
 * @param paths       which paths it applies to (for a copy, the target; for a list, the prefix)
 * @param fault       what happens to a call the rule picks
 * @param times       how many calls the rule picks at most; {@link #UNLIMITED} for no bound
 * @param probability the chance that a matching call (while the budget lasts) is picked, in (0, 1]
 */
public record FaultRule(Set<CallKind> kinds, Predicate<String> paths, Fault fault, long times,
                        double probability) {

    /** The budget of a rule that never runs out. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    public FaultRule {
        Objects.requireNonNull(kinds, "kinds");
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("a fault rule needs at least one kind of call");
        }
        kinds = Set.copyOf(kinds);
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
        return on(EnumSet.of(operation), fault);
    }

    /** A rule injecting {@code fault} into every call of any of {@code operations}. */
    public static FaultRule on(Set<Operation> operations, Fault fault) {
        return new FaultRule(CallKind.of(operations), path -> true, fault, UNLIMITED, 1.0);
    }

    /** A rule injecting {@code fault} into every call of the kind {@code kind} only. */
    public static FaultRule on(CallKind kind, Fault fault) {
        return new FaultRule(EnumSet.of(kind), path -> true, fault, UNLIMITED, 1.0);
    }

    /** A rule injecting {@code fault} into every call of every operation. */
    public static FaultRule onEveryOperation(Fault fault) {
        return on(EnumSet.allOf(Operation.class), fault);
    }

    /** This rule, for the paths {@code predicate} accepts. */
    public FaultRule forPaths(Predicate<String> predicate) {
        return new FaultRule(kinds, predicate, fault, times, probability);
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
        return new FaultRule(kinds, paths, fault, n, probability);
    }

    /** This rule, firing on every matching call. */
    public FaultRule always() {
        return times(UNLIMITED);
    }

    /** This rule, picking each matching call with probability {@code p} (from the store's seeded random). */
    public FaultRule withProbability(double p) {
        return new FaultRule(kinds, paths, fault, times, p);
    }

    /** The operations whose calls (some or all of them) the rule applies to. */
    public Set<Operation> operations() {
        Set<Operation> operations = EnumSet.noneOf(Operation.class);
        kinds.forEach(kind -> operations.add(kind.operation()));
        return operations;
    }

    boolean matches(CallKind kind, String path) {
        return kinds.contains(kind) && paths.test(path);
    }
}
