package io.slatedb.connect.source;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.Map;

/**
 * Builds the Kafka records of one database: key and value bytes (a delete has a null value, a
 * tombstone), headers with the sequence number, creation time and operation, and the write's creation
 * time as the record timestamp.
 */
final class ChangeRecords {

    /** Header: the write's sequence number (INT64). */
    static final String HEADER_SEQ = "slatedb.seq";
    /** Header: the write's creation time in ms since the epoch (INT64); absent for rows written without one. */
    static final String HEADER_CREATE_TS = "slatedb.create_ts";
    /** Header: {@code put}, {@code delete} or {@code merge}. */
    static final String HEADER_OPERATION = "slatedb.operation";
    /**
     * Header: {@code snapshot} or {@code catch-up} on records a scan produced; absent on records read from
     * the WAL (the common case, spared a header).
     */
    static final String HEADER_PHASE = "slatedb.phase";

    static final String PUT = "put";
    static final String DELETE = "delete";
    static final String MERGE = "merge";

    private final Map<String, String> partition;
    private final String topic;

    ChangeRecords(Map<String, String> partition, String topic) {
        this.partition = partition;
        this.topic = topic;
    }

    /**
     * One record.
     *
     * @param createTs the creation time, or negative when unknown (the record then has no timestamp and
     *                 Connect stamps it)
     * @param phase    the {@link #HEADER_PHASE} header, or null for a record read from the WAL
     */
    SourceRecord record(Map<String, ?> offset, byte[] key, byte[] value, String operation, long seq, long createTs,
                        String phase) {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addLong(HEADER_SEQ, seq);
        if (createTs >= 0) {
            headers.addLong(HEADER_CREATE_TS, createTs);
        }
        headers.addString(HEADER_OPERATION, operation);
        if (phase != null) {
            headers.addString(HEADER_PHASE, phase);
        }
        return new SourceRecord(partition, offset, topic, null, Schema.BYTES_SCHEMA, key,
                Schema.OPTIONAL_BYTES_SCHEMA, value, createTs >= 0 ? createTs : null, headers);
    }
}
