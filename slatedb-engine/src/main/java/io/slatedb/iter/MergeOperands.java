package io.slatedb.iter;

import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.sst.RowEntry;

import java.util.HexFormat;

/**
 * What reads do when the newest visible version of a key is a merge operand. No merge operator can be
 * configured yet, so reading one fails as SlateDB fails without an operator. This is the seam where
 * an operator goes: it would fold the operand with the key's older versions instead.
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
