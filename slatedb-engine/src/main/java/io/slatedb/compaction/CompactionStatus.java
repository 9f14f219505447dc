package io.slatedb.compaction;

/** Where a compaction is in its life, as the {@code .compactions} file records it. */
public enum CompactionStatus {
    /** Accepted by the compactor, not yet running. */
    SUBMITTED(0),
    /** Writing its output. */
    RUNNING(1),
    /** Its output is listed in the manifest. */
    COMPLETED(2),
    /** Stopped without changing the manifest. */
    FAILED(3);

    private final byte code;

    CompactionStatus(int code) {
        this.code = (byte) code;
    }

    /** The FlatBuffers enum value. */
    public byte code() {
        return code;
    }

    /** The status with FlatBuffers value {@code code}. */
    public static CompactionStatus of(byte code) {
        for (CompactionStatus status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown compaction status " + code);
    }

    /** Whether the compaction is over (its entry may be dropped once a newer one finishes). */
    public boolean finished() {
        return this == COMPLETED || this == FAILED;
    }
}
