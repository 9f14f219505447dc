package io.slatedb;

import java.util.List;

/**
 * Combines merge operands into values, as SlateDB's {@code MergeOperator}: {@link Db#merge} stores an
 * operand instead of reading, changing and writing the value, and reads and compactions fold a key's
 * operands into the value below them with this operator.
 *
 * <p>The operator is given when a handle is opened ({@link Db.Builder#withMergeOperator},
 * {@link DbReader.Builder#withMergeOperator}, {@link Compactor.Builder#withMergeOperator}); every handle
 * of a database must use the same one. It must be <b>associative</b>: reads, writes and compactions
 * fold operands in different groupings (a compaction may fold some operands into one operand that a
 * read later folds with the value below), so {@code merge(merge(a, b), c)} must equal
 * {@code merge(a, merge(b, c))}. It must be deterministic, thread-safe and must not change the arrays it
 * is given.
 *
 * <pre>{@code
 * MergeOperator counter = (key, existing, operand) -> {
 *     long sum = (existing == null ? 0 : ByteBuffer.wrap(existing).getLong()) + ByteBuffer.wrap(operand).getLong();
 *     return ByteBuffer.allocate(8).putLong(sum).array();
 * };
 * }</pre>
 *
 * <p>An exception thrown by the operator fails the read, write or compaction that called it with kind
 * {@link ErrorKind#INVALID}; a {@code null} result does too.
 */
@FunctionalInterface
public interface MergeOperator {

    /**
     * Merges one operand into the value before it.
     *
     * @param key           the key
     * @param existingValue the value the operand applies to: the older value or the fold of older
     *                      operands; {@code null} when there is none (the key is absent or deleted)
     * @param operand       the operand
     * @return the merged value, not null
     */
    byte[] merge(byte[] key, byte[] existingValue, byte[] operand);

    /**
     * Merges several operands, oldest first, into the value before them (SlateDB's {@code merge_batch}).
     * The default applies {@link #merge} to each operand in turn; override it when folding many operands
     * at once is cheaper (a counter sums them). Called with at least one operand.
     *
     * @param key           the key
     * @param existingValue the value the operands apply to, or {@code null} when there is none
     * @param operands      the operands, oldest first; not empty
     * @return the merged value, not null
     */
    default byte[] mergeBatch(byte[] key, byte[] existingValue, List<byte[]> operands) {
        byte[] result = existingValue;
        for (byte[] operand : operands) {
            result = merge(key, result, operand);
        }
        return result;
    }
}
