package io.slatedb.iter;

import io.slatedb.ErrorKind;
import io.slatedb.MergeOperator;
import io.slatedb.SlateDbException;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.ValueKind;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;

/**
 * Folds one key's merge operands with the {@link MergeOperator}, as SlateDB does on reads, writes and
 * compactions: the operands, oldest first, apply to the base value below them (none when there is no
 * base or it is a tombstone). The folded row takes the newest sequence number, the latest creation
 * time and the earliest expiry time of its inputs (base included).
 */
public final class MergeFold {
    private MergeFold() {
    }

    /**
     * The fold of {@code operandsNewestFirst} onto {@code base}.
     *
     * @param operandsNewestFirst merge operands of one key, sequence numbers descending; not empty
     * @param base                the value or tombstone below them, or null
     * @param kind                what the folded row is: a value, or (when the base may still lie
     *                            below, as in compactions and batches without one) a merge operand
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when the operator fails or returns null
     */
    public static RowEntry fold(MergeOperator operator, List<RowEntry> operandsNewestFirst, RowEntry base,
                                ValueKind kind) {
        RowEntry newest = operandsNewestFirst.get(0);
        byte[] key = newest.key();
        List<byte[]> operands = new ArrayList<>(operandsNewestFirst.size());
        OptionalLong createTs = OptionalLong.empty();
        OptionalLong expireTs = OptionalLong.empty();
        for (int i = operandsNewestFirst.size() - 1; i >= 0; i--) {
            RowEntry operand = operandsNewestFirst.get(i);
            operands.add(operand.value());
            createTs = max(createTs, operand.createTs());
            expireTs = min(expireTs, operand.expireTs());
        }
        byte[] existing = null;
        if (base != null) {
            existing = base.value();
            createTs = max(createTs, base.createTs());
            expireTs = min(expireTs, base.expireTs());
        }
        byte[] merged = apply(operator, key, existing, operands);
        return new RowEntry(key, kind, merged, newest.seq(), createTs, expireTs);
    }

    /** {@link MergeOperator#mergeBatch}, with its failures as errors of kind {@link ErrorKind#INVALID}. */
    static byte[] apply(MergeOperator operator, byte[] key, byte[] existing, List<byte[]> operands) {
        byte[] merged;
        try {
            merged = operator.mergeBatch(key, existing, operands);
        } catch (RuntimeException e) {
            throw new SlateDbException(ErrorKind.INVALID, "the merge operator failed on key "
                    + HexFormat.of().formatHex(key) + ": " + e, e);
        }
        if (merged == null) {
            throw new SlateDbException(ErrorKind.INVALID, "the merge operator returned null for key "
                    + HexFormat.of().formatHex(key));
        }
        return merged;
    }

    private static OptionalLong max(OptionalLong a, OptionalLong b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isEmpty() || a.getAsLong() >= b.getAsLong() ? a : b;
    }

    private static OptionalLong min(OptionalLong a, OptionalLong b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isEmpty() || a.getAsLong() <= b.getAsLong() ? a : b;
    }
}
