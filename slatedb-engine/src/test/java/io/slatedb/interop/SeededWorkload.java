package io.slatedb.interop;

import io.slatedb.interop.RustWriteJob.Ttl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A seeded random write workload for the Rust SlateDB, appended to a {@link RustWriteJob} in three phases:
 * two end with a memtable flush (so there are two L0 SSTs), the last stays in the WAL only. Each phase has
 * a WAL flush in its middle and random puts (new keys and overwrites, values of up to 5000 bytes, random or
 * compressible bytes), deletes of written and never-written keys, batches and puts with a TTL. The values of
 * {@link #REQUIRED_VALUE_SIZES} (0 bytes to 1 MiB) are each written once, in random phases. Phase 1 also
 * puts {@link #EXPIRED_KEY} with an expiry in 1970, which its memtable flush must turn into a tombstone.
 * The same seed gives the same job.
 */
final class SeededWorkload {

    static final int[] REQUIRED_VALUE_SIZES = {0, 1, 100, 4 * 1024, 64 * 1024, 1024 * 1024};
    static final byte[] EXPIRED_KEY = utf8("expired-before-its-flush");
    private static final int[] SMALL_SIZES = {0, 1, 3, 10, 100, 300, 1000, 2000, 5000};
    static final int KEY_POOL = 30;

    private final Random random;
    private final RustWriteJob job;
    private final Set<Integer> written = new LinkedHashSet<>();
    private int neverWritten;

    private SeededWorkload(RustWriteJob job, long seed) {
        this.job = job;
        this.random = new Random(seed);
    }

    /** Appends the workload for {@code seed} to {@code job} and returns the job. */
    static RustWriteJob appendTo(RustWriteJob job, long seed) {
        new SeededWorkload(job, seed).append();
        return job;
    }

    private void append() {
        List<Integer> required = new ArrayList<>();
        for (int size : REQUIRED_VALUE_SIZES) {
            required.add(size);
        }
        Collections.shuffle(required, random);
        List<List<Integer>> perPhase = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < required.size(); i++) {
            perPhase.get(i % 3).add(required.get(i));
        }
        job.put(EXPIRED_KEY, utf8("gone at the flush"), Ttl.expireAt(1_000));
        phase(perPhase.get(0));
        job.flushMemtable();
        phase(perPhase.get(1));
        job.flushMemtable();
        // Left in the WAL: flushed once explicitly, the rest by the shutdown at the end of the job.
        phase(perPhase.get(2));
    }

    /** Random operations with a put of each required size among them and a WAL flush in the middle. */
    private void phase(List<Integer> requiredSizes) {
        int count = 10 + random.nextInt(6);
        List<Runnable> ops = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ops.add(this::randomOp);
        }
        for (int size : requiredSizes) {
            ops.add(random.nextInt(ops.size() + 1), () -> job.put(key(pick()), value(size)));
        }
        int walFlushAt = 2 + random.nextInt(ops.size() - 3);
        for (int i = 0; i < ops.size(); i++) {
            if (i == walFlushAt) {
                job.flushWal();
            }
            ops.get(i).run();
        }
    }

    private void randomOp() {
        int dice = random.nextInt(100);
        if (dice < 45) {
            job.put(key(pick()), value(SMALL_SIZES[random.nextInt(SMALL_SIZES.length)]));
        } else if (dice < 60 && !written.isEmpty()) {
            job.delete(key(existing()));
        } else if (dice < 65) {
            job.delete(utf8("never-written-" + neverWritten++));
        } else if (dice < 80) {
            int size = 2 + random.nextInt(3);
            Set<Integer> keys = new LinkedHashSet<>();
            while (keys.size() < size) {
                keys.add(random.nextInt(KEY_POOL));
            }
            job.batch(batch -> {
                for (int k : keys) {
                    if (random.nextInt(4) == 0) {
                        batch.delete(key(k));
                    } else {
                        written.add(k);
                        batch.put(key(k), value(SMALL_SIZES[random.nextInt(SMALL_SIZES.length)]));
                    }
                }
            });
        } else if (dice < 95) {
            job.put(key(pick()), value(random.nextInt(200)), Ttl.expireAfter(Duration.ofHours(1 + random.nextInt(24))));
        } else {
            job.put(key(pick()), value(random.nextInt(200)), Ttl.noExpiry());
        }
    }

    /** A key index: an overwrite of a written key half of the time, otherwise any key of the pool. */
    private int pick() {
        int k = !written.isEmpty() && random.nextBoolean() ? existing() : random.nextInt(KEY_POOL);
        written.add(k);
        return k;
    }

    private int existing() {
        return new ArrayList<>(written).get(random.nextInt(written.size()));
    }

    /** Key {@code i} of the pool; lengths vary with the index. */
    static byte[] key(int i) {
        return utf8(String.format("key-%02d", i) + "-".repeat(i % 7));
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

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
