package io.slatedb.memtable;

import io.slatedb.sst.RowEntry;
import io.slatedb.sst.ValueKind;

import java.nio.ByteBuffer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * CPU cost of the memtable insert alone: {@code N} rows of random {@code KEY_BYTES}-byte keys and 100-byte
 * values put into a fresh {@link Memtable}, one row per sequence number, or in sorted groups of {@code BATCH}
 * rows sharing one (a write batch's shape). Prints nanoseconds of this thread's CPU per row for each round;
 * the first rounds include JIT warm-up. Not a unit test; run as {@code PutThroughputBench} is, with the
 * arguments {@code [N] [ROUNDS] [KEY_BYTES] [BATCH] [random|ascending]} (defaults 1000000, 5, 16, 1, random);
 * ascending keys are big-endian row numbers, each above every earlier one, as a sequential load writes them.
 */
public final class MemtableInsertBench {
    private MemtableInsertBench() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int keyBytes = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int batch = args.length > 3 ? Math.max(1, Integer.parseInt(args[3])) : 1;
        boolean ascending = args.length > 4 && args[4].equals("ascending");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < rounds; round++) {
            SplittableRandom random = new SplittableRandom(7 + round);
            RowEntry[] rows = new RowEntry[n];
            for (int start = 0; start < n; start += batch) {
                int end = Math.min(n, start + batch);
                byte[][] keys = new byte[end - start][keyBytes];
                for (int i = 0; i < keys.length; i++) {
                    if (ascending) {
                        ByteBuffer.wrap(keys[i]).putLong(keyBytes - 8, start + i);
                    } else {
                        random.nextBytes(keys[i]);
                    }
                }
                Arrays.sort(keys, Arrays::compareUnsigned);
                for (int i = start; i < end; i++) {
                    byte[] value = new byte[100];
                    random.nextBytes(value);
                    rows[i] = new RowEntry(keys[i - start], ValueKind.VALUE, value, 1 + start / batch,
                            OptionalLong.of(round), OptionalLong.empty());
                }
            }
            Memtable memtable = new Memtable();
            long cpu0 = threads.getCurrentThreadCpuTime();
            for (RowEntry row : rows) {
                memtable.put(row);
            }
            long cpu1 = threads.getCurrentThreadCpuTime();
            System.out.printf("round %d: %d %s rows (groups of %d): %.0f ns CPU per row%n", round, n,
                    ascending ? "ascending" : "random", batch,
                    (cpu1 - cpu0) / (double) n);
        }
    }
}
