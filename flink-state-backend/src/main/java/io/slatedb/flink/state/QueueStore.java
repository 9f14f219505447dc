package io.slatedb.flink.state;

import io.slatedb.DbIterator;

import java.util.Arrays;

/** What a database-backed timer queue needs of the backend's database. */
interface QueueStore {

    void put(byte[] key, byte[] value);

    void delete(byte[] key);

    /** The keys in {@code [start, end)}, {@code end} null for unbounded. */
    DbIterator scan(byte[] start, byte[] end);

    /** The first key after every key that starts with {@code prefix}, or null when there is none. */
    static byte[] prefixEnd(byte[] prefix) {
        byte[] end = Arrays.copyOf(prefix, prefix.length);
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xFF) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return null;
    }
}
