package io.slatedb.connect.source;

import io.slatedb.Admin;
import io.slatedb.CheckpointInfo;
import io.slatedb.SlateDbException;
import io.slatedb.WalRetention;

import java.time.Duration;
import java.util.Optional;

/**
 * The task's WAL retention slot in one database (a replication slot): held at the first WAL file the task
 * may still have to read, moved forward only to positions Connect has committed, with a lifetime that
 * every move starts again, so a stopped or deleted connector lets the WAL go once it has passed.
 */
final class RetentionSlot {

    /** The prefix of slot names; the connector's name follows. */
    static final String NAME_PREFIX = "kafka-connect-source:";

    private final Admin admin;
    private final String name;
    private final Duration lifetime;
    private long walId;

    RetentionSlot(Admin admin, String connectorName, Duration lifetime) {
        this.admin = admin;
        this.name = slotName(connectorName);
        this.lifetime = lifetime;
    }

    /** The name of connector {@code connectorName}'s slot in each of its databases. */
    static String slotName(String connectorName) {
        return NAME_PREFIX + connectorName;
    }

    /** The name of the checkpoints connector {@code connectorName}'s snapshots read. */
    static String snapshotCheckpointName(String connectorName) {
        return NAME_PREFIX + connectorName + ":snapshot";
    }

    /**
     * Releases everything connector {@code connectorName} holds in the database of {@code admin}: its
     * slot and its snapshot checkpoints. Only for a connector whose tasks are not running (they would
     * hold them again).
     *
     * @return how many were released
     */
    static int releaseAll(Admin admin, String connectorName) {
        int released = admin.releaseWalRetention(slotName(connectorName)) ? 1 : 0;
        for (CheckpointInfo checkpoint : admin.listCheckpoints(snapshotCheckpointName(connectorName))) {
            if (admin.deleteCheckpoint(checkpoint.id())) {
                released++;
            }
        }
        return released;
    }

    String name() {
        return name;
    }

    /**
     * Holds the WAL from {@code walId} on: moves the slot there when it exists at or below it, and
     * otherwise (none yet, or one further on from an earlier run) creates it there.
     *
     * @throws io.slatedb.WalTruncatedException when WAL file {@code walId} is gone already
     */
    synchronized void holdFrom(long walId) {
        Optional<WalRetention> existing = admin.listWalRetentions().stream()
                .filter(s -> s.name().equals(name)).findFirst();
        if (existing.isPresent() && Long.compareUnsigned(existing.get().walId(), walId) <= 0) {
            try {
                admin.moveWalRetention(name, walId);
                this.walId = walId;
                return;
            } catch (SlateDbException e) {
                // expired and removed between the listing and the move: create it again below
            }
        }
        if (existing.isPresent()) {
            admin.releaseWalRetention(name);
        }
        admin.createWalRetention(name, walId, lifetime);
        this.walId = walId;
    }

    /** Moves the slot forward to {@code walId} (a committed position), or only refreshes it when it is not further. */
    synchronized void advanceTo(long walId) {
        if (walId == 0 && this.walId == 0) {
            return; // not held yet: the task holds it when it starts reading
        }
        long target = Long.compareUnsigned(walId, this.walId) > 0 ? walId : this.walId;
        try {
            admin.moveWalRetention(name, target);
            this.walId = target;
        } catch (SlateDbException e) {
            // It expired (the task could not commit for longer than its lifetime): hold again from here.
            holdFrom(target);
        }
    }

    synchronized long walId() {
        return walId;
    }
}
