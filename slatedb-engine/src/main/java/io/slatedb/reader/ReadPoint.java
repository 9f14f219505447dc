package io.slatedb.reader;

/**
 * What one read looks at: a view of the sources and the highest sequence number (unsigned) it may see.
 * Every row at or below {@code maxSeq} that the read needs is in {@code view}.
 */
public record ReadPoint(ReadView view, long maxSeq) {
}
