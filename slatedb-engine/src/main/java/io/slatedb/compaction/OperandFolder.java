package io.slatedb.compaction;

import io.slatedb.MergeOperator;
import io.slatedb.iter.MergeFold;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.ValueKind;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * How a compaction folds one key's merge operands, as SlateDB's compactor does:
 * <ul>
 *   <li>operands above {@code retention_min_seq} stay as they are: a snapshot may read each of them;</li>
 *   <li>from the newest operand at or below it, consecutive versions with the same expiry time are
 *       folded: the operands into one, with the value or tombstone that ends them (if its expiry time
 *       is the same) as the base, which makes the fold a value. Folding stops at a different expiry
 *       time so that the fold expires exactly when its inputs did; the versions after it are folded
 *       the same way;</li>
 *   <li>when the fold reaches the key's oldest version without a base and the output is the tree's
 *       oldest sorted run, nothing lies below: the fold is a value over no existing value.</li>
 * </ul>
 */
final class OperandFolder {
    private final MergeOperator operator;
    private final long retentionMinSeq;
    private final boolean oldestRun;

    OperandFolder(MergeOperator operator, long retentionMinSeq, boolean oldestRun) {
        this.operator = operator;
        this.retentionMinSeq = retentionMinSeq;
        this.oldestRun = oldestRun;
    }

    /** One key's versions, newest first, with its operands folded. */
    List<RowEntry> fold(List<RowEntry> versions) {
        List<RowEntry> out = new ArrayList<>(versions.size());
        int i = 0;
        while (i < versions.size()) {
            RowEntry row = versions.get(i++);
            if (row.kind() != ValueKind.MERGE_OPERAND || Long.compareUnsigned(row.seq(), retentionMinSeq) > 0) {
                out.add(row);
                continue;
            }
            List<RowEntry> operands = new ArrayList<>();
            operands.add(row);
            OptionalLong expireTs = row.expireTs();
            RowEntry base = null;
            while (i < versions.size() && versions.get(i).expireTs().equals(expireTs)) {
                RowEntry next = versions.get(i++);
                if (next.seq() == operands.get(operands.size() - 1).seq()) {
                    continue; // the same version from another source: apply it once
                }
                if (next.kind() != ValueKind.MERGE_OPERAND) {
                    base = next;
                    break;
                }
                operands.add(next);
            }
            boolean complete = base != null || (i == versions.size() && oldestRun);
            out.add(MergeFold.fold(operator, operands, base, complete ? ValueKind.VALUE : ValueKind.MERGE_OPERAND));
        }
        return out;
    }
}
