package io.slatedb.util;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories for the engine's background threads. They are daemons: a handle or store the
 * application forgot to close must not keep the JVM alive. Names say whose thread it is, so that thread
 * dumps and thread counts ({@code slatedb-<path>-io-3}) read without a map.
 */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /** Daemon threads named {@code prefix-1}, {@code prefix-2}, ... */
    public static ThreadFactory numbered(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        AtomicInteger count = new AtomicInteger();
        return runnable -> daemon(runnable, prefix + "-" + count.incrementAndGet());
    }

    /** Daemon threads all named {@code name}, for executors of one thread. */
    public static ThreadFactory named(String name) {
        Objects.requireNonNull(name, "name");
        return runnable -> daemon(runnable, name);
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
