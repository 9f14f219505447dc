package io.slatedb.interop;

import io.slatedb.sst.RowEntry;
import io.slatedb.sst.ValueKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * A deliberately naive model of what SlateDB 0.12.1 does with versions of keys, for checking decoded data
 * against what was written: what a memtable flush writes into an L0 SST, and what a reader returns from a
 * set of sources. It works on whole lists in memory and knows one merge operator, the harness's "concat"
 * (the existing value, if any, followed by the operand). The engine's real merge iterator is not used here.
 */
public final class LsmReference {

    private static final Comparator<byte[]> KEYS = Arrays::compareUnsigned;

    private LsmReference() {
    }

    /**
     * The rows a memtable flush at {@code flushTimeMillis} writes for {@code writes} (the versions of the
     * flushed window, any order): per key one row, the versions folded oldest to newest. A value that has
     * expired at flush time becomes a tombstone (with its create_ts, without expire_ts), merge operands are
     * applied to the newest base in the window, and operands without a base stay one merge operand. Result
     * in key order.
     */
    public static List<RowEntry> flush(List<RowEntry> writes, long flushTimeMillis) {
        List<RowEntry> out = new ArrayList<>();
        for (List<RowEntry> versions : byKeyOldestFirst(writes).values()) {
            out.add(fold(versions, flushTimeMillis));
        }
        return out;
    }

    /**
     * What a full scan returns when {@code sources} hold the database's rows: per key, the newest version
     * and the older versions down to the newest value or tombstone when the newest ones are merge operands;
     * tombstones hide their key, expired rows are returned (SlateDB 0.12.1 reads do not filter by TTL).
     * The same version (key and seq) in several sources counts once. Result: value rows in key order.
     */
    public static List<RowEntry> visible(List<List<RowEntry>> sources) {
        List<RowEntry> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (List<RowEntry> source : sources) {
            for (RowEntry row : source) {
                if (seen.add(HexFormat.of().formatHex(row.key()) + "@" + Long.toUnsignedString(row.seq()))) {
                    all.add(row);
                }
            }
        }
        List<RowEntry> out = new ArrayList<>();
        for (List<RowEntry> versions : byKeyOldestFirst(all).values()) {
            // Only the versions from the newest base (value or tombstone) on matter.
            int from = versions.size() - 1;
            while (from > 0 && versions.get(from).kind() == ValueKind.MERGE_OPERAND) {
                from--;
            }
            RowEntry result = fold(versions.subList(from, versions.size()), Long.MIN_VALUE);
            switch (result.kind()) {
                case VALUE -> out.add(result);
                case MERGE_OPERAND -> out.add(new RowEntry(result.key(), ValueKind.VALUE, result.value(),
                        result.seq(), result.createTs(), result.expireTs()));
                case TOMBSTONE -> {
                    // Deleted.
                }
            }
        }
        return out;
    }

    /**
     * Whether {@code row}, found in an SST written at {@code sstTimeMillis}, is a version SlateDB may have
     * produced from {@code writes} (every write ever made to the database): it folds the writes of its key
     * from some earlier write up to its own seq. Returns a description of the mismatch, or null.
     */
    public static String explainInconsistency(RowEntry row, List<RowEntry> writes, long sstTimeMillis) {
        List<RowEntry> versions = writes.stream().filter(w -> Arrays.equals(w.key(), row.key()))
                .sorted((a, b) -> Long.compareUnsigned(a.seq(), b.seq())).toList();
        int end = -1;
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).seq() == row.seq()) {
                end = i;
            }
        }
        if (end < 0) {
            return row + " has a seq no write of its key had: " + versions;
        }
        for (int start = end; start >= 0; start--) {
            if (fold(versions.subList(start, end + 1), sstTimeMillis).equals(row)) {
                return null;
            }
        }
        return row + " is no fold of the writes of its key up to its seq: " + versions.subList(0, end + 1);
    }

    /** Versions grouped by key (key order), each group in seq order. */
    private static Map<byte[], List<RowEntry>> byKeyOldestFirst(List<RowEntry> rows) {
        Map<byte[], List<RowEntry>> byKey = new TreeMap<>(KEYS);
        for (RowEntry row : rows) {
            byKey.computeIfAbsent(row.key(), k -> new ArrayList<>()).add(row);
        }
        byKey.values().forEach(v -> v.sort((a, b) -> Long.compareUnsigned(a.seq(), b.seq())));
        return byKey;
    }

    /** Applies {@code versions} (one key, oldest first) in order; see {@link #flush}. */
    private static RowEntry fold(List<RowEntry> versions, long nowMillis) {
        RowEntry acc = null;
        for (RowEntry v : versions) {
            acc = switch (v.kind()) {
                case VALUE -> expired(v, nowMillis)
                        ? new RowEntry(v.key(), ValueKind.TOMBSTONE, null, v.seq(), v.createTs(), OptionalLong.empty())
                        : v;
                case TOMBSTONE -> v;
                case MERGE_OPERAND -> {
                    if (acc == null) {
                        yield v;
                    }
                    ValueKind kind = acc.kind() == ValueKind.MERGE_OPERAND ? ValueKind.MERGE_OPERAND : ValueKind.VALUE;
                    byte[] base = acc.kind() == ValueKind.TOMBSTONE ? new byte[0] : acc.value();
                    yield new RowEntry(v.key(), kind, concat(base, v.value()), v.seq(), v.createTs(), v.expireTs());
                }
            };
        }
        return acc;
    }

    private static boolean expired(RowEntry v, long nowMillis) {
        return v.expireTs().isPresent() && v.expireTs().getAsLong() <= nowMillis;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
