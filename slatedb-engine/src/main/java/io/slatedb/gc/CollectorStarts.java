package io.slatedb.gc;

import io.slatedb.GarbageCollector;
import io.slatedb.util.SharedThreads;

import java.util.Objects;

/**
 * Starts a {@link GarbageCollector} on a writer's shared threads. Running on internal threads is not
 * public API, so the collector keeps that start package-private and hands it here when its class
 * initialises; the engine reaches it only through this internal package.
 */
public final class CollectorStarts {

    /** Starts {@code collector} on {@code threads} ({@code null}: on a thread of its own). */
    public interface Starter {
        void start(GarbageCollector collector, SharedThreads threads);
    }

    private static volatile Starter starter;

    private CollectorStarts() {
    }

    /**
     * Called once, by {@link GarbageCollector}'s class initialisation.
     *
     * @throws IllegalStateException when a starter is already registered
     */
    public static synchronized void register(Starter start) {
        if (starter != null) {
            throw new IllegalStateException("the collector's starter is already registered");
        }
        starter = Objects.requireNonNull(start, "start");
    }

    /** Starts {@code collector} on {@code threads}; the collector's class is initialised as it exists. */
    public static void start(GarbageCollector collector, SharedThreads threads) {
        Objects.requireNonNull(collector, "collector");
        starter.start(collector, threads);
    }
}
