package io.slatedb.interop;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slatedb.CompressionCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * A {@code write-db} job for {@link RustSlateDb#write}: the database to open, its settings, and the
 * operations to apply in order. Each write's seq and create_ts come back in the result, in the order of the
 * operations.
 *
 * <p>Writes do not wait for durability (the harness passes {@code await_durable = false}); WAL files are
 * cut by {@link #flushWal()}, {@link #flushMemtable()}, the shutdown at the end, or the
 * {@code flush_interval} setting, which {@link #create} turns off so that the files are deterministic.
 */
public final class RustWriteJob {

    private static final HexFormat HEX = HexFormat.of();

    private final ObjectNode job;
    private final ObjectNode settings;
    private final ArrayNode ops;
    private Duration timeout = RustSlateDb.DEFAULT_JOB_TIMEOUT;
    private boolean awaitDurable;

    private RustWriteJob(Path storeDir, String dbPath) {
        job = RustSlateDb.baseJob(storeDir, dbPath);
        settings = job.putObject("settings");
        ops = job.putArray("ops");
    }

    /**
     * A job for the database at {@code dbPath} in the local directory store {@code storeDir}, with timed WAL
     * flushes disabled ({@code flush_interval = null}).
     */
    public static RustWriteJob create(Path storeDir, String dbPath) {
        return new RustWriteJob(storeDir, dbPath).setting("flush_interval", null);
    }

    /**
     * Sets one SlateDB setting by dotted key ({@code Settings.set}); the value is converted to JSON
     * (a {@code String} becomes a JSON string, {@code null} clears an optional setting).
     */
    public RustWriteJob setting(String key, Object value) {
        settings.set(key, RustSlateDb.json().valueToTree(value));
        return this;
    }

    /** {@code compression_codec}: "Snappy", "Zlib", "Lz4" or "Zstd". */
    public RustWriteJob compression(String codec) {
        return setting("compression_codec", codec);
    }

    /**
     * {@code compression_codec} for one of our codecs, by the binding's variant name ("Snappy", "Zlib", "Lz4",
     * "Zstd"); {@link CompressionCodec#NONE} leaves the setting at its default (no compression).
     */
    public RustWriteJob compression(CompressionCodec codec) {
        return switch (codec) {
            case NONE -> this;
            case SNAPPY -> compression("Snappy");
            case ZLIB -> compression("Zlib");
            case LZ4 -> compression("Lz4");
            case ZSTD -> compression("Zstd");
        };
    }

    /** {@code DbBuilder.with_sst_block_size}: "Block1Kib" .. "Block64Kib". */
    public RustWriteJob sstBlockSize(String size) {
        job.put("sstBlockSize", size);
        return this;
    }

    /** {@code DbBuilder.with_seed}: makes SlateDB's internal randomness (e.g. ULIDs' random part) repeatable. */
    public RustWriteJob seed(long seed) {
        job.put("seed", seed);
        return this;
    }

    /** {@code DbBuilder.with_wal_object_store}: the WAL goes to this other local directory store. */
    public RustWriteJob walStore(Path walStoreDir) {
        job.put("walStore", RustSlateDb.storeUrl(walStoreDir));
        return this;
    }

    /**
     * Installs the harness's "concat" merge operator (the existing value, if any, followed by the operand),
     * which {@link #merge} operations need.
     */
    public RustWriteJob concatMergeOperator() {
        job.put("mergeOperator", "concat");
        return this;
    }

    public RustWriteJob timeout(Duration timeout) {
        this.timeout = timeout;
        job.put("timeoutMs", timeout.toMillis());
        return this;
    }

    Duration timeout() {
        return timeout;
    }

    public RustWriteJob put(byte[] key, byte[] value) {
        return put(key, value, Ttl.defaultTtl());
    }

    public RustWriteJob put(String key, String value) {
        return put(utf8(key), utf8(value));
    }

    public RustWriteJob put(byte[] key, byte[] value, Ttl ttl) {
        ops.add(marked(putOp(key, value, ttl)));
        return this;
    }

    public RustWriteJob delete(byte[] key) {
        ops.add(marked(deleteOp(key)));
        return this;
    }

    /** A merge operand; needs {@link #concatMergeOperator()}. */
    public RustWriteJob merge(byte[] key, byte[] operand) {
        ops.add(marked(mergeOp(key, operand, Ttl.defaultTtl())));
        return this;
    }

    /**
     * Whether the writes added from now on wait until they are durable ({@code await_durable}, SlateDB's
     * default); off unless set. A waiting write returns only after the next WAL flush, so the job needs a
     * {@code flush_interval} (which {@link #create} turns off) or the write blocks until the time limit.
     */
    public RustWriteJob awaitDurable(boolean await) {
        this.awaitDurable = await;
        return this;
    }

    private ObjectNode marked(ObjectNode op) {
        if (awaitDurable) {
            op.put("awaitDurable", true);
        }
        return op;
    }

    public RustWriteJob delete(String key) {
        return delete(utf8(key));
    }

    /** One atomic write batch (one seq, one create_ts). */
    public RustWriteJob batch(Consumer<Batch> contents) {
        ObjectNode op = marked(ops.addObject().put("op", "batch"));
        Batch batch = new Batch(op.putArray("ops"));
        contents.accept(batch);
        if (batch.ops.isEmpty()) {
            throw new IllegalArgumentException("SlateDB rejects empty batches");
        }
        return this;
    }

    public RustWriteJob flushWal() {
        ops.addObject().put("op", "flushWal");
        return this;
    }

    public RustWriteJob flushMemtable() {
        ops.addObject().put("op", "flushMemtable");
        return this;
    }

    /** Reads a key through the writer ({@code get_key_value}); the row comes back in the op's result. */
    public RustWriteJob get(byte[] key) {
        ops.addObject().put("op", "get").put("key", HEX.formatHex(key));
        return this;
    }

    /** Shuts the writer down and opens a new one (a new writer epoch, a new WAL fence, WAL replay). */
    public RustWriteJob reopen() {
        ops.addObject().put("op", "reopen");
        return this;
    }

    /** Creates a checkpoint of the latest manifest with this lifetime (at least 2 s); see the harness. */
    public RustWriteJob checkpoint(Duration lifetime) {
        ops.addObject().put("op", "checkpoint").put("lifetimeMs", lifetime.toMillis());
        return this;
    }

    /**
     * Waits (bounded by {@code within}) until the embedded compactor has produced at least
     * {@code minSortedRuns} sorted runs and at most {@code maxL0} L0 SSTs remain. Needs a compactor with a
     * short {@code compactor_options.poll_interval} and scheduler options that trigger.
     */
    public RustWriteJob awaitCompaction(int minSortedRuns, int maxL0, Duration within) {
        ops.addObject().put("op", "awaitCompaction").put("minSortedRuns", minSortedRuns).put("maxL0", maxL0)
                .put("timeoutMs", within.toMillis());
        return this;
    }

    /** Ends the job by exiting without closing the writer: unflushed writes are lost, as in a crash. */
    public RustWriteJob abandon() {
        job.put("finish", "abandon");
        return this;
    }

    ObjectNode toJson() {
        return job.deepCopy();
    }

    private static ObjectNode putOp(byte[] key, byte[] value, Ttl ttl) {
        ObjectNode op = RustSlateDb.json().createObjectNode().put("op", "put")
                .put("key", HEX.formatHex(key)).put("value", HEX.formatHex(value));
        op.set("ttl", ttl.json);
        return op;
    }

    private static ObjectNode mergeOp(byte[] key, byte[] operand, Ttl ttl) {
        ObjectNode op = putOp(key, operand, ttl);
        op.put("op", "merge");
        return op;
    }

    private static ObjectNode deleteOp(byte[] key) {
        return RustSlateDb.json().createObjectNode().put("op", "delete").put("key", HEX.formatHex(key));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The operations of one write batch. */
    public static final class Batch {
        private final ArrayNode ops;

        private Batch(ArrayNode ops) {
            this.ops = ops;
        }

        public Batch put(byte[] key, byte[] value) {
            return put(key, value, Ttl.defaultTtl());
        }

        public Batch put(String key, String value) {
            return put(utf8(key), utf8(value));
        }

        public Batch put(byte[] key, byte[] value, Ttl ttl) {
            ops.add(putOp(key, value, ttl));
            return this;
        }

        public Batch delete(byte[] key) {
            ops.add(deleteOp(key));
            return this;
        }

        public Batch delete(String key) {
            return delete(utf8(key));
        }

        public Batch merge(byte[] key, byte[] operand) {
            ops.add(mergeOp(key, operand, Ttl.defaultTtl()));
            return this;
        }
    }

    /** The TTL of a put, mapped to the binding's {@code Ttl}. */
    public static final class Ttl {
        private final com.fasterxml.jackson.databind.JsonNode json;

        private Ttl(com.fasterxml.jackson.databind.JsonNode json) {
            this.json = json;
        }

        /** The database's {@code default_ttl} (none unless configured). */
        public static Ttl defaultTtl() {
            return new Ttl(RustSlateDb.json().getNodeFactory().textNode("default"));
        }

        public static Ttl noExpiry() {
            return new Ttl(RustSlateDb.json().getNodeFactory().textNode("noExpiry"));
        }

        /** expire_ts = create_ts + ttl (SlateDB's clock ticks are milliseconds). */
        public static Ttl expireAfter(Duration ttl) {
            return new Ttl(RustSlateDb.json().createObjectNode().put("expireAfterMs", ttl.toMillis()));
        }

        public static Ttl expireAt(long epochMillis) {
            return new Ttl(RustSlateDb.json().createObjectNode().put("expireAtMs", epochMillis));
        }
    }
}
