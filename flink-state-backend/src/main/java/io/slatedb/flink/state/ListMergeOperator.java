package io.slatedb.flink.state;

import io.slatedb.MergeOperator;

/**
 * Appends list elements: ListState stores its elements joined by Flink's list delimiter (the format of
 * {@code ListDelimitedSerializer}, the RocksDB backend's and the canonical savepoint's), so an
 * {@code add} is a merge operand instead of a read, change and write. Concatenation with a delimiter
 * is associative, as the engine requires. Only list states write merge operands.
 */
final class ListMergeOperator implements MergeOperator {

    static final byte DELIMITER = ',';

    @Override
    public byte[] merge(byte[] key, byte[] existingValue, byte[] operand) {
        if (existingValue == null) {
            return operand.clone();
        }
        byte[] merged = new byte[existingValue.length + 1 + operand.length];
        System.arraycopy(existingValue, 0, merged, 0, existingValue.length);
        merged[existingValue.length] = DELIMITER;
        System.arraycopy(operand, 0, merged, existingValue.length + 1, operand.length);
        return merged;
    }
}
