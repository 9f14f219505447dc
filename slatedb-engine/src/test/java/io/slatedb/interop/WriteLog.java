package io.slatedb.interop;

import com.fasterxml.jackson.databind.JsonNode;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.ValueKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;

/**
 * What a {@code write-db} job wrote, as rows: every write with the seq and create_ts SlateDB assigned, and,
 * derived from where the flushes fell, what each WAL object and each memtable flush must hold. The rules
 * are those of SlateDB 0.12.1 (see the harness README): every writer opens by writing an empty WAL SST (the
 * fence); a WAL flush, a memtable flush and a shutdown each write one WAL SST with the writes since the
 * previous one, if there are any; a memtable flush takes every write not yet flushed to L0 (a shutdown
 * leaves them for the next writer's WAL replay); a batch's rows share one seq and are in key order.
 */
public final class WriteLog {

    private static final HexFormat HEX = HexFormat.of();

    private final List<RowEntry> writes;
    private final List<List<RowEntry>> walObjects;
    private final List<List<RowEntry>> memtableFlushes;
    private final long replayAfterWalId;

    private WriteLog(List<RowEntry> writes, List<List<RowEntry>> walObjects, List<List<RowEntry>> memtableFlushes,
                     long replayAfterWalId) {
        this.writes = List.copyOf(writes);
        this.walObjects = walObjects.stream().map(List::copyOf).toList();
        this.memtableFlushes = memtableFlushes.stream().map(List::copyOf).toList();
        this.replayAfterWalId = replayAfterWalId;
    }

    /** The seq and create_ts SlateDB returned for one write operation. */
    public record Assigned(long seq, long createTs) {
    }

    /**
     * The log of the {@code write-db} operations {@code ops} (the JSON the job ran, as in {@link RustWriteJob}
     * and in the golden descriptions), given what SlateDB assigned to the op at each index (null for
     * operations that are not writes). Puts with the "default" TTL get none: the databases here have no
     * {@code default_ttl}.
     */
    public static WriteLog fromOps(JsonNode ops, List<Assigned> assigned) {
        if (ops.size() != assigned.size()) {
            throw new IllegalArgumentException(ops.size() + " operations but " + assigned.size() + " results");
        }
        Builder log = new Builder();
        for (int i = 0; i < ops.size(); i++) {
            JsonNode op = ops.get(i);
            Assigned a = assigned.get(i);
            switch (op.path("op").asText()) {
                case "put", "delete", "merge" -> log.write(List.of(row(op, required(a, op))));
                case "batch" -> {
                    List<RowEntry> rows = new ArrayList<>();
                    op.path("ops").forEach(inner -> rows.add(row(inner, required(a, op))));
                    log.write(rows);
                }
                case "flushWal" -> log.flushWal();
                case "flushMemtable" -> log.flushMemtable();
                case "reopen" -> log.reopen();
                case "get", "checkpoint", "awaitCompaction" -> {
                    // No writes and no WAL objects.
                }
                default -> throw new IllegalArgumentException("unknown operation " + op);
            }
        }
        return log.shutdown();
    }

    /** The log of a golden database's description ({@code ops[]} with their {@code result}s). */
    public static WriteLog fromDescription(JsonNode description) {
        if (!description.path("settings").path("default_ttl").isMissingNode()) {
            throw new IllegalArgumentException("descriptions with a default_ttl are not modelled");
        }
        List<Assigned> assigned = new ArrayList<>();
        for (JsonNode op : description.path("ops")) {
            JsonNode result = op.path("result");
            assigned.add(result.has("seq")
                    ? new Assigned(result.path("seq").asLong(), result.path("createTs").asLong()) : null);
        }
        return fromOps(description.path("ops"), assigned);
    }

    /** The log of a job SlateDB has run, with what it returned. */
    public static WriteLog fromJob(RustWriteJob job, RustResults.WriteResult result) {
        List<Assigned> assigned = result.ops().stream()
                .map(o -> o.seq() == null ? null : new Assigned(o.seq(), o.createTs())).toList();
        return fromOps(job.toJson().path("ops"), assigned);
    }

    /** Every write in seq order (a batch's rows in key order). */
    public List<RowEntry> writes() {
        return writes;
    }

    /** What each WAL object must hold, by id starting at 1: fences are empty lists. */
    public List<List<RowEntry>> walObjects() {
        return walObjects;
    }

    /** The writes each memtable flush took into its L0 SST, in flush order (before folding). */
    public List<List<RowEntry>> memtableFlushes() {
        return memtableFlushes;
    }

    /**
     * The id of the last WAL object written when the last memtable flush ran (everything up to it is in
     * L0): the manifest's {@code replay_after_wal_id}; 0 without memtable flushes.
     */
    public long replayAfterWalId() {
        return replayAfterWalId;
    }

    /** The highest seq a memtable flush took, 0 when there was none. */
    public long lastFlushedSeq() {
        return memtableFlushes.isEmpty() ? 0 : last(last(memtableFlushes)).seq();
    }

    private static Assigned required(Assigned a, JsonNode op) {
        if (a == null) {
            throw new IllegalArgumentException("no seq reported for " + op);
        }
        return a;
    }

    private static RowEntry row(JsonNode op, Assigned a) {
        byte[] key = HEX.parseHex(op.path("key").asText());
        return switch (op.path("op").asText()) {
            case "delete" -> new RowEntry(key, ValueKind.TOMBSTONE, null, a.seq(), OptionalLong.of(a.createTs()),
                    OptionalLong.empty());
            case "put" -> new RowEntry(key, ValueKind.VALUE, InteropRows.valueOf(op), a.seq(),
                    OptionalLong.of(a.createTs()), expireTs(op.get("ttl"), a.createTs()));
            case "merge" -> new RowEntry(key, ValueKind.MERGE_OPERAND, InteropRows.valueOf(op), a.seq(),
                    OptionalLong.of(a.createTs()), expireTs(op.get("ttl"), a.createTs()));
            default -> throw new IllegalArgumentException("not a write: " + op);
        };
    }

    private static OptionalLong expireTs(JsonNode ttl, long createTs) {
        if (ttl == null || ttl.isNull() || ttl.isTextual()) {
            // "default" (no default_ttl configured) or "noExpiry".
            return OptionalLong.empty();
        }
        if (ttl.has("expireAfterMs")) {
            return OptionalLong.of(createTs + ttl.path("expireAfterMs").asLong());
        }
        if (ttl.has("expireAtMs")) {
            return OptionalLong.of(ttl.path("expireAtMs").asLong());
        }
        throw new IllegalArgumentException("unknown ttl " + ttl);
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    /** Accumulates writes and flushes in the order a writer made them; starts with an open writer. */
    static final class Builder {
        private final List<RowEntry> writes = new ArrayList<>();
        private final List<List<RowEntry>> walObjects = new ArrayList<>();
        private final List<List<RowEntry>> memtableFlushes = new ArrayList<>();
        private final List<RowEntry> unflushedWal = new ArrayList<>();
        private final List<RowEntry> unflushedMemtable = new ArrayList<>();
        private long replayAfterWalId;

        Builder() {
            open();
        }

        /** The rows of one write operation (one seq). */
        void write(List<RowEntry> rows) {
            List<RowEntry> sorted = new ArrayList<>(rows);
            sorted.sort(Comparator.comparing(RowEntry::key, Arrays::compareUnsigned));
            for (int i = 1; i < sorted.size(); i++) {
                if (Arrays.equals(sorted.get(i - 1).key(), sorted.get(i).key())) {
                    throw new IllegalArgumentException("a batch writing one key twice is not modelled: " + rows);
                }
            }
            writes.addAll(sorted);
            unflushedWal.addAll(sorted);
            unflushedMemtable.addAll(sorted);
        }

        void flushWal() {
            if (!unflushedWal.isEmpty()) {
                walObjects.add(List.copyOf(unflushedWal));
                unflushedWal.clear();
            }
        }

        void flushMemtable() {
            flushWal();
            if (!unflushedMemtable.isEmpty()) {
                memtableFlushes.add(List.copyOf(unflushedMemtable));
                unflushedMemtable.clear();
                // WAL ids start at 1 and have no gaps.
                replayAfterWalId = walObjects.size();
            }
        }

        void reopen() {
            flushWal();
            open();
        }

        private void open() {
            walObjects.add(List.of());
        }

        WriteLog shutdown() {
            flushWal();
            return new WriteLog(writes, walObjects, memtableFlushes, replayAfterWalId);
        }
    }
}
