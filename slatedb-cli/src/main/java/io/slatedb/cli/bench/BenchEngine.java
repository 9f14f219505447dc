package io.slatedb.cli.bench;

import io.slatedb.cli.ReadSource;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * A key-value store the bench workloads run on. Implementations are thread-safe for {@link #put} and
 * {@link #get}; the arranging calls run while nothing else does.
 */
interface BenchEngine extends AutoCloseable {

    /** The name results are reported under, e.g. {@code slatedb-jvm}. */
    String name();

    /** Stores {@code value} under {@code key}; with {@code durable}, returns once it is durable. */
    void put(byte[] key, byte[] value, boolean durable);

    /** Whether {@code key} has a value. */
    boolean get(byte[] key);

    /**
     * Scans every key in order, calling {@code rowBytes} with the key and value bytes of each row.
     *
     * @param readAheadBytes bytes fetched per request, where the engine lets a scan choose
     * @param fetchTasks     fetches that may run ahead, where the engine lets a scan choose
     */
    void scan(long readAheadBytes, int fetchTasks, IntConsumer rowBytes);

    /** Makes every write so far durable (untimed, after a write workload). */
    void flushWrites();

    /** Arranges the loaded data so that reads are served from {@code source}. */
    void arrange(ReadSource source);

    /**
     * Running counts that tell where reads were served from (e.g. block cache hits, object-store
     * gets); the runner reports how much each grew during the timed phase. Empty when the engine has
     * none.
     */
    Map<String, Long> counters();

    @Override
    void close();
}
