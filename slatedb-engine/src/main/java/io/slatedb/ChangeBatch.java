package io.slatedb;

import java.util.List;

/**
 * The rows of one WAL file, in sequence order, and the file's id. A fence (the file a new writer
 * writes when it opens) has no rows but is a batch all the same, so a consumer's position moves past
 * it. Store {@link #walId()} as the position only after every row of the batch is handled, and resume
 * with {@code WalChangeFeed.builder(...).withStartAt(walId + 1)}: delivery is then at least once per batch.
 *
 * @param walId the id of the WAL file consumed
 * @param rows  its rows, in sequence order
 */
public record ChangeBatch(long walId, List<ChangeRow> rows) {

    public ChangeBatch {
        rows = List.copyOf(rows);
    }
}
