package io.slatedb.interop;

import io.slatedb.Db;
import io.slatedb.PutOptions;
import io.slatedb.Ttl;
import io.slatedb.WriteBatch;
import io.slatedb.WriteHandle;
import io.slatedb.WriteOptions;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.ValueKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;

/**
 * A seeded random write workload applied to this project's {@link Db}, the counterpart of
 * {@link SeededWorkload} for the Rust side (same key pool, same kinds of operations): puts of new keys and
 * overwrites (values of up to 5000 bytes, random or compressible), deletes of written and never-written
 * keys, batches, puts with a TTL of hours (none expires during a test) and without expiry. Every write is
 * recorded as the row it must have become, with the seq and create_ts the {@link Db} returned, so that
 * {@link LsmReference#visible} gives what any reader must see. Flushes are the caller's.
 */
final class DbWorkload {

    private static final int[] SMALL_SIZES = {0, 1, 3, 10, 100, 300, 1000, 2000, 5000};

    private final Random random;
    private final List<RowEntry> writes = new ArrayList<>();
    private final Set<Integer> written = new LinkedHashSet<>();
    private int neverWritten;

    DbWorkload(long seed) {
        this.random = new Random(seed);
    }

    /** Every write so far, in seq order (a batch's rows in key order). */
    List<RowEntry> writes() {
        return writes;
    }

    /**
     * {@code count} random operations on {@code db}, with a put of a value of each of {@code requiredSizes}
     * bytes among them; every write waits for durability as {@code options} say.
     */
    void phase(Db db, int count, List<Integer> requiredSizes, WriteOptions options) {
        List<Runnable> ops = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ops.add(() -> randomOp(db, options));
        }
        for (int size : requiredSizes) {
            ops.add(random.nextInt(ops.size() + 1), () -> put(db, SeededWorkload.key(pick()), value(size),
                    PutOptions.DEFAULT, options));
        }
        ops.forEach(Runnable::run);
    }

    /** Puts {@code value} under {@code key} and records the write. */
    void put(Db db, byte[] key, byte[] value, PutOptions putOptions, WriteOptions options) {
        WriteHandle h = db.put(key, value, putOptions, options);
        record(List.of(new RowEntry(key, ValueKind.VALUE, value, h.seq(), OptionalLong.of(h.createTs()),
                putOptions.expireTs(h.createTs(), OptionalLong.empty()))));
    }

    /** Deletes {@code key} and records the tombstone. */
    void delete(Db db, byte[] key, WriteOptions options) {
        WriteHandle h = db.delete(key, options);
        record(List.of(new RowEntry(key, ValueKind.TOMBSTONE, null, h.seq(), OptionalLong.of(h.createTs()),
                OptionalLong.empty())));
    }

    /** Keys of the pool that were written (and may since have been deleted), and a few never written. */
    List<byte[]> keysToRead() {
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < SeededWorkload.KEY_POOL; i++) {
            keys.add(SeededWorkload.key(i));
        }
        keys.add(utf8("never-written-0"));
        keys.add(utf8("absent"));
        keys.add(utf8("key-"));
        keys.add(utf8("zzz"));
        keys.sort(Arrays::compareUnsigned);
        return keys;
    }

    private void randomOp(Db db, WriteOptions options) {
        int dice = random.nextInt(100);
        if (dice < 45) {
            put(db, SeededWorkload.key(pick()), value(SMALL_SIZES[random.nextInt(SMALL_SIZES.length)]),
                    PutOptions.DEFAULT, options);
        } else if (dice < 60 && !written.isEmpty()) {
            delete(db, SeededWorkload.key(existing()), options);
        } else if (dice < 65) {
            delete(db, utf8("never-written-" + neverWritten++), options);
        } else if (dice < 80) {
            batch(db, options);
        } else if (dice < 95) {
            put(db, SeededWorkload.key(pick()), value(random.nextInt(200)),
                    new PutOptions(Ttl.expireAfter(Duration.ofHours(1 + random.nextInt(24)))), options);
        } else {
            put(db, SeededWorkload.key(pick()), value(random.nextInt(200)), PutOptions.NO_EXPIRY, options);
        }
    }

    private void batch(Db db, WriteOptions options) {
        int size = 2 + random.nextInt(3);
        Set<Integer> keys = new LinkedHashSet<>();
        while (keys.size() < size) {
            keys.add(random.nextInt(SeededWorkload.KEY_POOL));
        }
        WriteBatch batch = new WriteBatch();
        List<byte[]> values = new ArrayList<>();
        List<byte[]> batchKeys = new ArrayList<>();
        for (int k : keys) {
            byte[] key = SeededWorkload.key(k);
            byte[] value = random.nextInt(4) == 0 ? null : value(SMALL_SIZES[random.nextInt(SMALL_SIZES.length)]);
            if (value == null) {
                batch.delete(key);
            } else {
                written.add(k);
                batch.put(key, value);
            }
            batchKeys.add(key);
            values.add(value);
        }
        WriteHandle h = db.write(batch, options);
        List<RowEntry> rows = new ArrayList<>();
        for (int i = 0; i < batchKeys.size(); i++) {
            byte[] value = values.get(i);
            rows.add(new RowEntry(batchKeys.get(i), value == null ? ValueKind.TOMBSTONE : ValueKind.VALUE, value,
                    h.seq(), OptionalLong.of(h.createTs()), OptionalLong.empty()));
        }
        rows.sort(Comparator.comparing(RowEntry::key, Arrays::compareUnsigned));
        record(rows);
    }

    private void record(List<RowEntry> rows) {
        writes.addAll(rows);
    }

    /** A key index: an overwrite of a written key half of the time, otherwise any key of the pool. */
    private int pick() {
        int k = !written.isEmpty() && random.nextBoolean() ? existing() : random.nextInt(SeededWorkload.KEY_POOL);
        written.add(k);
        return k;
    }

    private int existing() {
        return new ArrayList<>(written).get(random.nextInt(written.size()));
    }

    /** {@code size} bytes, either random or compressible ({@link ValuePattern}). */
    private byte[] value(int size) {
        if (random.nextBoolean()) {
            return ValuePattern.bytes(size, random.nextInt(26));
        }
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
