package io.slatedb.db;

import io.slatedb.ErrorKind;
import io.slatedb.MergeOperator;
import io.slatedb.SlateDbException;
import io.slatedb.iter.MergeFold;
import io.slatedb.iter.MergeOperands;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.ValueKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;

/**
 * Turns the operations of one write into its rows, one per key, as SlateDB's {@code extract_entries}:
 * every row gets the write's sequence number and creation time; a key's merges are folded, with the
 * put or delete before them if any, into one row (a value when there was a put or delete, else a merge
 * operand). The rows of a key must then all expire at the same time: SlateDB's
 * {@code IncompatibleMergeTtls}.
 */
final class BatchRows {
    private final MergeOperator operator;
    private final OptionalLong defaultTtl;

    /** @param operator the database's merge operator, or null when it has none */
    BatchRows(MergeOperator operator, OptionalLong defaultTtl) {
        this.operator = operator;
        this.defaultTtl = defaultTtl;
    }

    /**
     * Fails with kind {@link ErrorKind#INVALID} when {@code ops} hold a merge and there is no operator;
     * checked before the write takes a sequence number.
     */
    void checkMerges(List<WriteOp> ops) {
        if (operator != null) {
            return;
        }
        for (WriteOp op : ops) {
            if (op.isMerge()) {
                throw new SlateDbException(ErrorKind.INVALID, "merge operator missing: a merge into key "
                        + HexFormat.of().formatHex(op.key()) + " needs a merge operator, and none is configured");
            }
        }
    }

    /** The rows of {@code ops} (in key order, a key's operations in the order they were added). */
    List<RowEntry> rows(List<WriteOp> ops, long seq, long createTs) {
        List<RowEntry> rows = new ArrayList<>(ops.size());
        // One creation time for every row of the write.
        OptionalLong created = OptionalLong.of(createTs);
        int start = 0;
        while (start < ops.size()) {
            int end = start + 1;
            while (end < ops.size() && Arrays.equals(ops.get(end).key(), ops.get(start).key())) {
                end++;
            }
            rows.add(end - start == 1 ? row(ops.get(start), seq, created)
                    : folded(ops.subList(start, end), seq, created));
            start = end;
        }
        return rows;
    }

    private RowEntry row(WriteOp op, long seq, OptionalLong created) {
        return new RowEntry(op.key(), op.kind(), op.value(), seq, created,
                op.expireTs(created.getAsLong(), defaultTtl));
    }

    /** One key's operations: a put or delete (maybe) and then merges, folded into one row. */
    private RowEntry folded(List<WriteOp> keyOps, long seq, OptionalLong created) {
        RowEntry base = null;
        List<RowEntry> operandsNewestFirst = new ArrayList<>(keyOps.size());
        OptionalLong expireTs = null;
        for (WriteOp op : keyOps) {
            RowEntry row = row(op, seq, created);
            if (expireTs != null && !expireTs.equals(row.expireTs())) {
                throw new SlateDbException(ErrorKind.INVALID, "incompatible merge TTLs: the operations on key "
                        + HexFormat.of().formatHex(op.key()) + " in one write expire at different times ("
                        + expireTs + " and " + row.expireTs() + ")");
            }
            expireTs = row.expireTs();
            if (op.isMerge()) {
                operandsNewestFirst.add(0, row);
            } else {
                base = row;
            }
        }
        if (operator == null) {
            throw MergeOperands.missingOperator(operandsNewestFirst.get(0));
        }
        return MergeFold.fold(operator, operandsNewestFirst, base,
                base != null ? ValueKind.VALUE : ValueKind.MERGE_OPERAND);
    }
}
