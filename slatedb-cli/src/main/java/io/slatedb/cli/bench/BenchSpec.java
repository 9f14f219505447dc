package io.slatedb.cli.bench;

import io.slatedb.cli.ReadSource;

/**
 * One benchmark run as the command line describes it.
 *
 * @param workload    what is timed
 * @param num         how many keys are loaded or written, and how many reads are timed
 * @param keySize     bytes per key (the key index in decimal, zero-padded)
 * @param valueSize   bytes per value (random, incompressible)
 * @param threads     threads issuing the timed operations
 * @param durable     whether each write waits until it is durable
 * @param readAhead   bytes a scan fetches per request
 * @param fetchTasks  fetches a scan may run ahead
 * @param seed        seed of the random keys and values
 * @param from        where reads are served from
 * @param warmup      untimed reads before the timed ones (readrandom, readwhilewriting)
 */
record BenchSpec(BenchWorkload workload, long num, int keySize, int valueSize, int threads, boolean durable,
                 long readAhead, int fetchTasks, long seed, ReadSource from, BenchWarmup warmup) {

    /** The untimed reads run before the timed ones: {@code warmup} for the random-read workloads, else none. */
    BenchWarmup warmupReads() {
        return workload == BenchWorkload.READRANDOM || workload == BenchWorkload.READWHILEWRITING
                ? warmup : BenchWarmup.NONE;
    }

    /** Key and value bytes of one row. */
    long rowBytes() {
        return (long) keySize + valueSize;
    }

    /** The bytes of every row loaded, a lower bound of what a memtable holding them all needs. */
    long datasetBytes() {
        return num * rowBytes();
    }
}
