package io.slatedb;

/**
 * How a {@link DbReader} chooses the manifest it reads and whether it follows the database
 * (SlateDB's {@code DbReaderMode}).
 */
public enum DbReaderMode {
    /**
     * The default: the reader creates a checkpoint of the latest manifest for itself (so the files it
     * reads are not garbage collected), follows the database by polling, replaces the checkpoint when
     * the manifest's SSTs change, refreshes it before it expires and deletes it on close.
     */
    MANAGED_CHECKPOINT,
    /**
     * Reads exactly the manifest a given checkpoint pins ({@link DbReader.Builder#withCheckpointId}), and
     * the WAL files that manifest still needs; creates, refreshes and deletes no checkpoint and follows no
     * newer manifest or WAL file.
     */
    CHECKPOINT,
    /**
     * Follows the latest manifest and WAL without any checkpoint and without writing anything, for
     * read-only buckets. Nothing protects the files it reads from garbage collection: a read may then fail
     * with kind {@link ErrorKind#DATA}, and a failed poll keeps the last good state.
     */
    FOLLOW_LATEST
}
