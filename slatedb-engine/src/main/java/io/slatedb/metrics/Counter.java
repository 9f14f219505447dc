package io.slatedb.metrics;

/** A monotonically increasing count. Thread-safe. */
public interface Counter {

    /** Adds {@code n} (not negative). */
    void add(long n);

    /** Adds one. */
    default void increment() {
        add(1);
    }

    /** The count so far. */
    long count();

    /** A counter that ignores updates and always reads 0. */
    Counter NOOP = new Counter() {
        @Override
        public void add(long n) {
        }

        @Override
        public long count() {
            return 0;
        }
    };
}
