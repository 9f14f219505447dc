package io.slatedb;

import io.slatedb.format.DbLayout;

import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * One database a clone is made from (SlateDB's {@code CloneSourceSpec}).
 *
 * @param path            the source database's root path, in the same object store as the clone (a
 *                        database path as {@link Db#open} describes it)
 * @param checkpointId    the source checkpoint whose manifest the clone starts from; null to take a
 *                        short-lived (5 minute) checkpoint of the source's latest manifest
 * @param projectionStart with a projection, the first key the clone sees of this source (inclusive);
 *                        null for no lower limit
 * @param projectionEnd   with a projection, the key where the clone's view of this source ends
 *                        (exclusive); null for no upper limit
 */
public record CloneSource(String path, UUID checkpointId, byte[] projectionStart, byte[] projectionEnd) {

    public CloneSource {
        DbLayout.of(path); // refuses what is not a database path
        projectionStart = projectionStart == null ? null : projectionStart.clone();
        projectionEnd = projectionEnd == null ? null : projectionEnd.clone();
    }

    /** The whole source at {@code checkpointId} (null: a short-lived checkpoint of its latest manifest). */
    public static CloneSource of(String path, UUID checkpointId) {
        return new CloneSource(path, checkpointId, null, null);
    }

    /** This source restricted to the keys in {@code [start, end)}; a null bound is open. */
    public CloneSource withProjection(byte[] start, byte[] end) {
        return new CloneSource(path, checkpointId, start, end);
    }

    /** Whether the clone sees only part of this source's keys. */
    public boolean isProjected() {
        return projectionStart != null || projectionEnd != null;
    }

    @Override
    public byte[] projectionStart() {
        return projectionStart == null ? null : projectionStart.clone();
    }

    @Override
    public byte[] projectionEnd() {
        return projectionEnd == null ? null : projectionEnd.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CloneSource other && path.equals(other.path)
                && Objects.equals(checkpointId, other.checkpointId)
                && Arrays.equals(projectionStart, other.projectionStart)
                && Arrays.equals(projectionEnd, other.projectionEnd);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, checkpointId, Arrays.hashCode(projectionStart), Arrays.hashCode(projectionEnd));
    }

    @Override
    public String toString() {
        return "CloneSource[" + path + ", checkpoint=" + checkpointId + (isProjected() ? ", projected" : "") + "]";
    }
}
