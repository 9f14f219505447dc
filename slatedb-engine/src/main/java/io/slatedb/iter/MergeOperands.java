package io.slatedb.iter;

import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.sst.RowEntry;

import java.util.HexFormat;

/**
 * The error of meeting a merge operand without a merge operator: reads of such keys fail as SlateDB's
 * fail ({@code MergeOperatorMissing}); with an operator they fold the operands instead ({@link MergeFold}).
 */
public final class MergeOperands {
    private MergeOperands() {
    }

    /** The error of reading {@code operand} without a merge operator: kind {@link ErrorKind#INVALID}. */
    public static SlateDbException missingOperator(RowEntry operand) {
        return new SlateDbException(ErrorKind.INVALID, "merge operator missing: key "
                + HexFormat.of().formatHex(operand.key()) + " has a merge operand at seq "
                + Long.toUnsignedString(operand.seq()) + " and no merge operator is configured");
    }
}
